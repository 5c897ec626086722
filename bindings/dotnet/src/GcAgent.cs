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

        public string Id { get; private set; }

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
        /// <summary>A call's state changed (ALERTING, ACTIVE, HELD, DROP, ...).</summary>
        public event EventHandler<CallEvent> CallChanged;
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
                case GcEventKind.InboundCall: client.Invoke(CallChanged, (CallEvent)e); break;
                case GcEventKind.Error: client.Invoke(Error, (ErrorEvent)e); break;
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

        /// <summary>Connect + Login; the reply is the agent's state. The password is kept by the library for re-login after a reconnect and never logged.</summary>
        public Task<AgentStateEvent> LoginAsync(string password, string extension, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (password == null) throw new ArgumentNullException("password");
            if (extension == null) throw new ArgumentNullException("extension");
            var h = Handle;
            var pw = Utf8.Encode(password);
            var ext = Utf8.Encode(extension);
            return Blocking.Run(() =>
            {
                try
                {
                    EventHandle reply;
                    var st = NativeMethods.gc_agent_login(h, pw, ext, out reply);
                    return Expect<AgentStateEvent>(Finish(st, reply, "login"), "login");
                }
                finally
                {
                    Array.Clear(pw, 0, pw.Length);
                }
            }, cancellationToken, null);
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
            return Blocking.Run(() => Send(h, command, name, args, ms), cancellationToken, null);
        }

        private static GcEvent Send(AgentHandle h, string command, byte[] name, string[] args, uint timeoutMs)
        {
            var ptrs = new IntPtr[args.Length];
            try
            {
                for (int i = 0; i < args.Length; i++) ptrs[i] = Utf8.Alloc(args[i]);
                EventHandle reply;
                var st = NativeMethods.gc_agent_command(h, name, ptrs, (UIntPtr)args.Length, timeoutMs, out reply);
                return Finish(st, reply, command);
            }
            finally
            {
                foreach (var p in ptrs)
                    if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);
            }
        }

        // Turns a command's status and reply into the result or the exception.
        private static GcEvent Finish(GcErrorCode st, EventHandle reply, string what)
        {
            using (reply)
            {
                GcEvent ev = null;
                // Read the error message before any other native call on this thread.
                var failure = st == GcErrorCode.Ok ? null : Utf8.LastError();
                if (reply != null && !reply.IsInvalid) ev = GcClient.ReadOwned(reply);
                if (st == GcErrorCode.Ok) return ev;
                var error = ev as ErrorEvent;
                string message;
                if (st == GcErrorCode.Gc && error != null)
                    message = what + ": GC answered " + error.Code + (error.Details.Count > 0 ? " (" + string.Join(", ", error.Details) + ")" : "");
                else
                    message = what + ": " + (string.IsNullOrEmpty(failure) ? st.ToString() : failure);
                throw new GcException(st, message, error);
            }
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

        public override string ToString()
        {
            return "GcAgent(" + Id + ")";
        }
    }
}
