using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using GenericConnector.Native;

namespace GenericConnector
{
    /// <summary>
    /// One agent of a <see cref="GcClient"/>: its commands and its events.
    /// Thread-safe. Command methods send one command and complete with GC's
    /// reply; GC's refusal is a <see cref="GcException"/> with
    /// <see cref="GcErrorCode.Gc"/> and the <see cref="ErrorEvent"/>.
    /// </summary>
    /// <remarks>
    /// Timeouts: <see cref="GcConfig.RequestTimeout"/> for the client,
    /// <see cref="CommandTimeout"/> for this agent's commands (except login,
    /// which uses the client's), or per call with <see cref="CommandAsync"/>.
    /// A timeout fails the Task with <see cref="GcErrorCode.Timeout"/>.
    /// Cancelling a token ends the Task at once as cancelled, but a command
    /// already sent may still be carried out by GC.
    /// </remarks>
    public sealed partial class GcAgent : IDisposable
    {
        private readonly GcClient client;
        private readonly AgentHandle handle;
        private int disposed;

        internal GcAgent(GcClient client, string id, AgentHandle handle)
        {
            this.client = client;
            this.handle = handle;
            Id = id;
        }

        /// <summary>The agent's id.</summary>
        public string Id { get; private set; }

        /// <summary>The client this agent belongs to.</summary>
        public GcClient Client { get { return client; } }

        /// <summary>How long this agent's commands wait for a reply; null: the client's <see cref="GcConfig.RequestTimeout"/>.</summary>
        public TimeSpan? CommandTimeout { get; set; }

        // ---------------------------------------------------------------- events

        /// <summary>Every event for this agent.</summary>
        public event EventHandler<GcEvent> EventReceived;
        /// <summary>The agent's state changed (also raised for replies to state commands).</summary>
        public event EventHandler<AgentStateEvent> StateChanged;
        /// <summary>A new inbound or outbound-preview call for the agent.</summary>
        public event EventHandler<NewCallEvent> NewCall;
        /// <summary>A call, its dialog or a consult call changed (ALERTING, ACTIVE, HELD, DROP, ...).</summary>
        public event EventHandler<CallUpdateEvent> CallChanged;
        /// <summary>GC reported an error for this agent outside of a command's reply.</summary>
        public event EventHandler<ErrorEvent> Error;

        internal void Raise(GcEvent e)
        {
            client.Invoke(EventReceived, e);
            switch (e.Kind)
            {
                case GcEventKind.AgentState: client.Invoke(StateChanged, (AgentStateEvent)e); break;
                case GcEventKind.NewInboundCall:
                case GcEventKind.NewOutboundPreviewCall: client.Invoke(NewCall, (NewCallEvent)e); break;
                case GcEventKind.InboundCall:
                case GcEventKind.DialogState:
                case GcEventKind.ConsultCall: client.Invoke(CallChanged, (CallUpdateEvent)e); break;
                case GcEventKind.Error: if (ErrorIsUnclaimed((ErrorEvent)e)) client.Invoke(Error, (ErrorEvent)e); break;
            }
        }

        // ---------------------------------------------------------------- cached

        /// <summary>The state GC last reported, without a round trip.</summary>
        public AgentState CachedState
        {
            get
            {
                AgentState s;
                var st = NativeMethods.gc_agent_get_cached_state(Handle, out s);
                if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "cached state");
                return s;
            }
        }

        /// <summary>What the client knows about the agent (state, info, dialogs, reason codes) as JSON, without a round trip.</summary>
        public string SnapshotJson
        {
            get
            {
                var h = Handle;
                return Utf8.ReadOrThrow((byte[] b, UIntPtr l, out UIntPtr o) => NativeMethods.gc_agent_snapshot_json(h, b, l, out o), "snapshot");
            }
        }

        // ---------------------------------------------------------------- commands
        // One method per command of the table is generated into
        // Generated/GcAgent.Commands.g.cs; login and the generic command stay here.

        /// <summary>Connect + Login; completes with the agent's state (an <see cref="AgentStateEvent"/>: GC correlates
        /// <c>AgentInfo</c> to the Login and sends the state right after; the <c>AgentInfo</c> itself when no state
        /// follows within 2 s). A refused Connect fails it at once. The password is kept by the library for re-login
        /// after a reconnect and never logged.</summary>
        public Task<GcEvent> LoginAsync(string password, string extension, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (password == null) throw new ArgumentNullException("password");
            if (extension == null) throw new ArgumentNullException("extension");
            var h = Handle;
            var pw = Utf8.Encode(password);
            var ext = Utf8.Encode(extension);
            Task<GcEvent> reply;
            try
            {
                // The library copies the password before it returns.
                reply = NativeCommand.Start("login", (NativeMethods.CommandCallback cb, IntPtr ud, out IntPtr req) =>
                    NativeMethods.gc_agent_login_async(h, pw, ext, cb, ud, out req), cancellationToken, Track());
            }
            finally
            {
                Array.Clear(pw, 0, pw.Length);
            }
            return reply;
        }

        /// <summary>The old overload of <see cref="LogoutWithReasonAsync"/>.</summary>
        [Obsolete("Use LogoutWithReasonAsync")]
        public Task<AgentStateEvent> LogoutAsync(string reasonCode, CancellationToken cancellationToken = default(CancellationToken))
        {
            return LogoutWithReasonAsync(reasonCode, cancellationToken);
        }

        /// <summary>
        /// Any command of the guide by name (<c>make_call</c>, <c>MakeCall</c> or
        /// the wire name; see <see cref="GcClient.CommandsJson"/>) with its text
        /// arguments in order. Completes with the reply, or null for commands GC
        /// does not answer (<c>connect</c>). A login sent this way is not
        /// repeated after a reconnect (use <see cref="LoginAsync"/>).
        /// </summary>
        public Task<GcEvent> CommandAsync(string command, string[] args, TimeSpan? timeout = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (command == null) throw new ArgumentNullException("command");
            args = args ?? new string[0];
            foreach (var a in args)
            {
                if (a == null) throw new ArgumentNullException("args", "a command argument is null");
                if (a.IndexOf('\0') >= 0) throw new ArgumentException("a command argument contains a NUL character", "args");
            }
            var ms = GcConfig.Millis(timeout ?? CommandTimeout, "timeout");
            var h = Handle;
            var name = Utf8.Encode(command);
            var encoded = new byte[args.Length][];
            for (int i = 0; i < args.Length; i++) encoded[i] = Utf8.Encode(args[i]);
            try
            {
                return NativeCommand.Start(command, (NativeMethods.CommandCallback cb, IntPtr ud, out IntPtr req) =>
                    Send(h, name, encoded, ms, cb, ud, out req), cancellationToken, Track());
            }
            finally
            {
                // The library has copied them (a password among them, for
                // mobile_agent_login): leave no copy of ours behind.
                foreach (var e in encoded) Array.Clear(e, 0, e.Length);
            }
        }

        private static GcErrorCode Send(AgentHandle h, byte[] name, byte[][] args, uint timeoutMs,
            NativeMethods.CommandCallback cb, IntPtr userdata, out IntPtr request)
        {
            var handles = new GCHandle[args.Length];
            var ptrs = new IntPtr[args.Length];
            try
            {
                // Pinned for the call only: the library copies what it keeps.
                for (int i = 0; i < args.Length; i++)
                {
                    handles[i] = GCHandle.Alloc(args[i], GCHandleType.Pinned);
                    ptrs[i] = handles[i].AddrOfPinnedObject();
                }
                return NativeMethods.gc_agent_command_async(h, name, ptrs, (UIntPtr)args.Length, timeoutMs, cb, userdata, out request);
            }
            finally
            {
                foreach (var p in handles)
                    if (p.IsAllocated) p.Free();
            }
        }

        // Turns a command's outcome into the result or the exception.
        internal static GcEvent Finish(GcErrorCode st, string failure, GcEvent ev, string what)
        {
            if (st == GcErrorCode.Ok) return ev;
            var error = ev as ErrorEvent;
            string message;
            if (st == GcErrorCode.Gc && error != null)
                message = what + ": GC answered " + error.Code + (error.Details.Count > 0 ? " (" + string.Join(", ", error.Details) + ")" : "");
            else
                message = what + ": " + (string.IsNullOrEmpty(failure) ? st.ToString() : failure);
            return ThrowFor(st, message, error);
        }

        private static GcEvent ThrowFor(GcErrorCode st, string message, ErrorEvent error)
        {
            throw new GcException(st, message, error);
        }

        // ---------------------------------------------------------------- errors no reply carries

        // GC's Error events reach both the command that caused them (as its
        // reply) and the event stream; the two race. Error is for the others
        // only, so a stream Error is matched against the replies: one that
        // arrives while commands are in flight waits until they have ended.
        private readonly object errorsLock = new object();
        private readonly System.Collections.Generic.HashSet<object> inFlight = new System.Collections.Generic.HashSet<object>();
        private readonly System.Collections.Generic.List<string> repliedErrors = new System.Collections.Generic.List<string>();
        private readonly System.Collections.Generic.List<HeldError> heldErrors = new System.Collections.Generic.List<HeldError>();
        private const int RepliedErrorsKept = 256;

        private sealed class HeldError
        {
            internal ErrorEvent Event;
            internal System.Collections.Generic.HashSet<object> WaitingFor;
            internal Timer Grace;
        }

        // A reply reaches its command within milliseconds of the stream's
        // copy; past this, an Error is not a reply (commands left pending for
        // minutes must not hold back an unrelated Error that long).
        private static readonly TimeSpan ClaimGrace = TimeSpan.FromSeconds(2);

        private void ReleaseHeld(HeldError held)
        {
            lock (errorsLock)
            {
                if (!heldErrors.Remove(held)) return;
            }
            held.Grace.Dispose();
            client.RaiseLater(() => client.Invoke(Error, held.Event));
        }

        // Counts a command as in flight; the action ends it. Weak: a pending
        // command must not keep an abandoned client from being collected.
        private Action<GcEvent> Track()
        {
            var token = new object();
            lock (errorsLock) inFlight.Add(token);
            var self = new WeakReference<GcAgent>(this);
            return errorReply =>
            {
                GcAgent agent;
                if (self.TryGetTarget(out agent)) agent.Ended(token, errorReply);
            };
        }

        private void Ended(object token, GcEvent errorReply)
        {
            System.Collections.Generic.List<ErrorEvent> release = null;
            lock (errorsLock)
            {
                inFlight.Remove(token);
                var raw = errorReply == null ? null : errorReply.Raw;
                if (raw != null)
                {
                    var i = heldErrors.FindIndex(x => x.Event.Raw == raw);
                    if (i >= 0)
                    {
                        heldErrors[i].Grace.Dispose();
                        heldErrors.RemoveAt(i);
                    }
                    else
                    {
                        repliedErrors.Add(raw);
                        if (repliedErrors.Count > RepliedErrorsKept) repliedErrors.RemoveAt(0);
                    }
                }
                for (int i = heldErrors.Count - 1; i >= 0; i--)
                {
                    var held = heldErrors[i];
                    held.WaitingFor.Remove(token);
                    if (held.WaitingFor.Count > 0) continue;
                    heldErrors.RemoveAt(i);
                    held.Grace.Dispose();
                    if (release == null) release = new System.Collections.Generic.List<ErrorEvent>();
                    release.Insert(0, held.Event);
                }
            }
            if (release != null)
                foreach (var e in release) client.RaiseLater(() => client.Invoke(Error, e));
        }

        /// <summary>Whether a stream Error is to be raised now (false: a reply, or held).</summary>
        private bool ErrorIsUnclaimed(ErrorEvent e)
        {
            lock (errorsLock)
            {
                var i = repliedErrors.IndexOf(e.Raw);
                if (i >= 0)
                {
                    repliedErrors.RemoveAt(i);
                    return false;
                }
                if (inFlight.Count == 0) return true;
                var held = new HeldError { Event = e, WaitingFor = new System.Collections.Generic.HashSet<object>(inFlight) };
                held.Grace = new Timer(h => ReleaseHeld((HeldError)h), held, Timeout.Infinite, Timeout.Infinite);
                heldErrors.Add(held);
                held.Grace.Change(ClaimGrace, Timeout.InfiniteTimeSpan);
                return false;
            }
        }

        // Checked here, so the exception names the caller's parameter.
        private static string Arg(string value, string name)
        {
            if (value == null) throw new ArgumentNullException(name);
            if (value.IndexOf('\0') >= 0) throw new ArgumentException("contains a NUL character", name);
            return value;
        }

        private static T Expect<T>(GcEvent ev, string what) where T : GcEvent
        {
            var typed = ev as T;
            if (typed == null)
                throw new GcException(GcErrorCode.UnexpectedReply, what + ": expected a " + typeof(T).Name + " reply, got " + (ev == null ? "none" : ev.Kind.ToString()));
            return typed;
        }

        // The generated command methods (GcAgent.Commands.g.cs) are not async
        // themselves, so bad arguments and a disposed agent throw at the call;
        // only the reply is awaited.
        private static async Task<T> Typed<T>(Task<GcEvent> reply, string command) where T : GcEvent
        {
            return Expect<T>(await reply.ConfigureAwait(false), command);
        }

        // ---------------------------------------------------------------- lifetime

        internal AgentHandle Handle
        {
            get
            {
                if (Volatile.Read(ref disposed) != 0) throw new ObjectDisposedException("GcAgent " + Id);
                return handle;
            }
        }

        /// <summary>Frees the handle; the agent stays registered on the client (logged in, re-logged in after reconnects).</summary>
        public void Dispose()
        {
            client.Forget(this);
            DisposeHandle();
        }

        internal void DisposeHandle()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            handle.Dispose();
        }

        /// <summary><c>GcAgent(id)</c>.</summary>
        public override string ToString()
        {
            return "GcAgent(" + Id + ")";
        }
    }
}
