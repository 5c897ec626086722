using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using GenericConnector.Native;

namespace GenericConnector
{
    /// <summary>An exception thrown by an event handler (raised by <see cref="GcClient.HandlerFailed"/>).</summary>
    public sealed class HandlerExceptionEventArgs : EventArgs
    {
        internal HandlerExceptionEventArgs(GcEvent ev, Exception exception)
        {
            Event = ev;
            Exception = exception;
        }

        /// <summary>The event whose handler threw.</summary>
        public GcEvent Event { get; private set; }
        /// <summary>What the handler threw.</summary>
        public Exception Exception { get; private set; }
    }

    /// <summary>
    /// A connection to GC through the broker, shared by any number of
    /// agents. Thread-safe. Dispose it to close the connection; a client
    /// that is never disposed is closed when the process exits.
    /// </summary>
    public sealed class GcClient : IDisposable
    {
        // One static delegate for every client: a static is never collected,
        // so the native dispatcher can never call a freed thunk, whatever the
        // user does with the GcClient. `userdata` is the client's id.
        private static readonly NativeMethods.EventCallback Callback = OnNativeEvent;
        // Weak: a client nobody references any more is collected, and its
        // handle's finalizer closes the native side.
        private static readonly ConcurrentDictionary<long, WeakReference<GcClient>> Live = new ConcurrentDictionary<long, WeakReference<GcClient>>();
        private static long lastId;

        // The client whose handlers run on this thread now (re-entrancy guard).
        [ThreadStatic] private static GcClient dispatching;

        private readonly ClientHandle handle;
        private readonly long id;
        private readonly SynchronizationContext context;
        private readonly ConcurrentDictionary<string, GcAgent> agents = new ConcurrentDictionary<string, GcAgent>(StringComparer.Ordinal);
        private int closing;  // 1 once CloseAsync started: only the final status is raised
        private int closed;   // 1 once closed or disposed: no event is raised after that
        private int disposed;
        private int raising;  // handlers running now (0 or 1 per delivery thread)
        private long callbackFailures;
        private readonly TaskCompletionSource<bool> nativeClosed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource<bool> idle;

        // Delivery through a SynchronizationContext: a queue bounded like the
        // native one (EventBuffer, oldest dropped and reported as Lagged),
        // drained by one coalesced post at a time.
        private readonly ConcurrentQueue<GcEvent> posted = new ConcurrentQueue<GcEvent>();
        private readonly int postedCapacity;
        private int postedCount;
        private int drainScheduled;
        private long postedLost;      // dropped and not yet reported as Lagged
        private long postedDropped;   // dropped in total
        private const int DrainBatch = 64;

        static GcClient()
        {
            // A live client's dispatcher thread must not call into a runtime
            // that is shutting down: close every client first.
            AppDomain.CurrentDomain.ProcessExit += (s, e) => CloseAllLive();
            AppDomain.CurrentDomain.DomainUnload += (s, e) => CloseAllLive();
        }

        private GcClient(ClientHandle handle, SynchronizationContext context, int eventBuffer)
        {
            this.handle = handle;
            this.context = context;
            postedCapacity = eventBuffer;
            id = Interlocked.Increment(ref lastId);
        }

        /// <summary>
        /// Connects to the first reachable broker and starts the GC
        /// handshake. Completes once the broker connection is up; GC may not
        /// be in service yet (<see cref="WaitInServiceAsync"/>). Events flow
        /// from the moment it completes.
        /// </summary>
        public static Task<GcClient> ConnectAsync(GcConfig config, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (config == null) throw new ArgumentNullException("config");
            return Blocking.Run(() => Connect(config), cancellationToken, c => c.Dispose());
        }

        /// <summary>Blocking form of <see cref="ConnectAsync"/>.</summary>
        public static GcClient Connect(GcConfig config)
        {
            return Open(config, false);
        }

        /// <summary>
        /// Starts a client and returns at once: it keeps trying the broker
        /// list (status Connecting, later Reconnecting) until a broker
        /// answers, as a service started before its broker needs. Only a bad
        /// config throws. Takes the settings form of <see cref="GcConfig"/>
        /// (not TOML or JSON text).
        /// </summary>
        public static GcClient Start(GcConfig config)
        {
            return Open(config, true);
        }

        private static GcClient Open(GcConfig config, bool start)
        {
            if (config == null) throw new ArgumentNullException("config");
            GcLogging.EnsureInstalled();
            ClientHandle h;
            GcErrorCode st;
            if (start && (config.Toml != null || config.JsonText != null))
                throw new ArgumentException("GcClient.Start takes the settings form of GcConfig, not TOML or JSON text", "config");
            if (config.Toml != null)
                st = NativeMethods.gc_client_connect_toml(Utf8.Encode(config.Toml), out h);
            else if (config.JsonText != null)
                st = NativeMethods.gc_client_connect_json(Utf8.Encode(config.JsonText), out h);
            else
                st = ConnectStruct(config, start, out h);
            if (st != GcErrorCode.Ok)
            {
                if (h != null) h.Dispose();
                throw GcException.FromNative(st, "connect");
            }
            var client = new GcClient(h, config.SynchronizationContext, config.EventBuffer ?? GcConfig.DefaultEventBuffer);
            Live[client.id] = new WeakReference<GcClient>(client);
            st = NativeMethods.gc_client_set_callback(h, Callback, new IntPtr(client.id));
            if (st != GcErrorCode.Ok)
            {
                var e = GcException.FromNative(st, "set callback");
                client.Dispose();
                throw e;
            }
            return client;
        }

        private static GcErrorCode ConnectStruct(GcConfig config, bool start, out ClientHandle h)
        {
            if (string.IsNullOrEmpty(config.Brokers)) throw new ArgumentException("GcConfig.Brokers is required", "config");
            var c = new NativeMethods.Config
            {
                RequestTimeoutMs = GcConfig.Millis(config.RequestTimeout, "RequestTimeout"),
                ConnectTimeoutMs = GcConfig.Millis(config.ConnectTimeout, "ConnectTimeout"),
                CommandTtlMs = GcConfig.Millis(config.CommandTtl, "CommandTtl"),
                EventBuffer = config.EventBuffer == null ? 0u : (uint)config.EventBuffer.Value,
            };
            try
            {
                c.Brokers = Utf8.Alloc(config.Brokers);
                c.BrokerLogin = Utf8.Alloc(config.BrokerLogin);
                c.BrokerPasscode = Utf8.Alloc(config.BrokerPasscode);
                c.Queue = Utf8.Alloc(config.Queue);
                c.Destination = Utf8.Alloc(config.Destination);
                c.TlsCaFile = Utf8.Alloc(config.TlsCaFile);
                return start
                    ? NativeMethods.gc_client_start(ref c, out h)
                    : NativeMethods.gc_client_connect(ref c, out h);
            }
            finally
            {
                Free(c.Brokers);
                Free(c.BrokerLogin);
                if (c.BrokerPasscode != IntPtr.Zero)
                {
                    // Do not leave the passcode lying in freed native memory.
                    var n = 0;
                    while (Marshal.ReadByte(c.BrokerPasscode, n) != 0) Marshal.WriteByte(c.BrokerPasscode, n++, 0);
                }
                Free(c.BrokerPasscode);
                Free(c.Queue);
                Free(c.Destination);
                Free(c.TlsCaFile);
            }
        }

        private static void Free(IntPtr p)
        {
            if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);
        }

        // ---------------------------------------------------------------- events

        /// <summary>Every notification: GC's events for all agents and the client's own.</summary>
        public event EventHandler<GcEvent> EventReceived;
        /// <summary>The connection status changed (in service, reconnecting, closed, ...).</summary>
        public event EventHandler<StatusEvent> StatusChanged;
        /// <summary>An automatic re-login after a reconnect finished.</summary>
        public event EventHandler<ReloginEvent> Relogin;
        /// <summary>Handlers fell behind the event rate and events were lost.</summary>
        public event EventHandler<LaggedEvent> Lagged;
        /// <summary>An event handler threw; the exception is reported here and otherwise ignored.</summary>
        public event EventHandler<HandlerExceptionEventArgs> HandlerFailed;

        private static void OnNativeEvent(IntPtr userdata, IntPtr ev)
        {
            // Nothing may propagate into native code.
            GcClient client = null;
            try
            {
                NativeCommand.MarkBackground();
                WeakReference<GcClient> weak;
                if (!Live.TryGetValue(userdata.ToInt64(), out weak)) return;
                if (!weak.TryGetTarget(out client))
                {
                    Live.TryRemove(userdata.ToInt64(), out weak);
                    return;
                }
                var e = ReadLent(ev);
                var status = e as StatusEvent;
                if (Volatile.Read(ref client.closed) != 0) return;
                // Closing: what the application still needs is the final status.
                if (Volatile.Read(ref client.closing) != 0 && status == null) return;
                if (client.context == null) client.RaiseGuarded(e);
                else client.Post(e);
            }
            catch (Exception)
            {
                if (client != null) Interlocked.Increment(ref client.callbackFailures);
            }
        }

        private void Post(GcEvent e)
        {
            posted.Enqueue(e);
            if (Interlocked.Increment(ref postedCount) > postedCapacity)
            {
                GcEvent oldest;
                if (posted.TryDequeue(out oldest))
                {
                    Interlocked.Decrement(ref postedCount);
                    // A dropped Lagged notice hands its count on to the next one.
                    var notice = oldest as LaggedEvent;
                    if (notice != null) Interlocked.Add(ref postedLost, notice.Dropped);
                    else
                    {
                        Interlocked.Increment(ref postedLost);
                        Interlocked.Increment(ref postedDropped);
                    }
                }
            }
            if (Interlocked.Exchange(ref drainScheduled, 1) == 0) context.Post(Drain, this);
        }

        private static readonly SendOrPostCallback Drain = state => ((GcClient)state).DrainPosted();

        // On the context's thread: a batch at a time, so a UI's own messages
        // are not starved by a burst of events.
        private void DrainPosted()
        {
            Volatile.Write(ref drainScheduled, 0);
            for (int n = 0; n < DrainBatch; n++)
            {
                var lost = Interlocked.Exchange(ref postedLost, 0);
                if (lost > 0)
                    RaiseGuarded(GcEvent.Create(GcEventKind.Lagged, "{\"notification\":\"lagged\",\"dropped\":" + lost.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}"));
                GcEvent e;
                if (!posted.TryDequeue(out e)) return;
                Interlocked.Decrement(ref postedCount);
                RaiseGuarded(e);
            }
            if (!posted.IsEmpty && Interlocked.Exchange(ref drainScheduled, 1) == 0) context.Post(Drain, this);
        }

        /// <summary>Raises on the delivery path (the context, else the thread pool) later.</summary>
        internal void RaiseLater(Action raise)
        {
            SendOrPostCallback run = _ =>
            {
                if (Volatile.Read(ref closed) != 0) return;
                Interlocked.Increment(ref raising);
                try
                {
                    if (Volatile.Read(ref closed) == 0) raise();
                }
                finally
                {
                    EndRaise();
                }
            };
            if (context != null) context.Post(run, null);
            else ThreadPool.QueueUserWorkItem(state => run(state));
        }

        // A raise starts only while the client is open, and CloseAsync's task
        // waits for one in progress: no handler starts after it completes.
        private void RaiseGuarded(GcEvent e)
        {
            var status = e as StatusEvent;
            var final = status != null && status.Status == GcConnectionStatus.Closed;
            Interlocked.Increment(ref raising);
            try
            {
                if (Volatile.Read(ref closed) == 0 && (status != null || Volatile.Read(ref closing) == 0)) Raise(e);
            }
            finally
            {
                // After the final status nothing more is raised; CloseAsync's
                // task completes once this handler has returned.
                if (final) StopRaising().ContinueWith(t => nativeClosed.TrySetResult(true), TaskScheduler.Default);
                EndRaise();
            }
        }

        private void EndRaise()
        {
            if (Interlocked.Decrement(ref raising) != 0 || Volatile.Read(ref closed) == 0) return;
            var waiting = Volatile.Read(ref idle);
            if (waiting != null) waiting.TrySetResult(true);
        }

        internal static GcEvent ReadLent(IntPtr ev)
        {
            GcEventKind kind;
            var st = NativeMethods.gc_event_get_kind(ev, out kind);
            if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "event kind");
            string json, agent;
            st = Utf8.Read(JsonOf, ev, out json);
            if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "event JSON");
            var e = GcEvent.Create(kind, json);
            st = Utf8.Read(AgentOf, ev, out agent);
            if (st != GcErrorCode.Ok && st != GcErrorCode.NotFound) throw GcException.FromNative(st, "event agent");
            e.KnowAgent(agent);
            return e;
        }

        private static readonly Utf8.Reader<IntPtr> JsonOf = NativeMethods.gc_event_to_json;
        private static readonly Utf8.Reader<IntPtr> AgentOf = NativeMethods.gc_event_agent;

        internal static GcEvent ReadOwned(EventHandle ev)
        {
            GcEventKind kind;
            var st = NativeMethods.gc_event_get_kind(ev, out kind);
            if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "event kind");
            string json = Utf8.ReadOrThrow((byte[] b, UIntPtr l, out UIntPtr o) => NativeMethods.gc_event_to_json(ev, b, l, out o), "event JSON");
            return GcEvent.Create(kind, json);
        }

        private void Raise(GcEvent e)
        {
            var outer = dispatching;
            dispatching = this;
            try
            {
                Invoke(EventReceived, e);
                switch (e.Kind)
                {
                    case GcEventKind.Status: Invoke(StatusChanged, (StatusEvent)e); break;
                    case GcEventKind.Relogin: Invoke(Relogin, (ReloginEvent)e); break;
                    case GcEventKind.Lagged: Invoke(Lagged, (LaggedEvent)e); break;
                }
                if (!agents.IsEmpty)
                {
                    var agentId = e.Kind == GcEventKind.Relogin ? e.GetString("agent") : e.AgentId;
                    GcAgent agent;
                    if (agentId != null && agents.TryGetValue(agentId, out agent)) agent.Raise(e);
                }
            }
            finally
            {
                dispatching = outer;
            }
        }

        internal void Invoke<T>(EventHandler<T> handler, T e) where T : GcEvent
        {
            if (handler == null) return;
            // Each handler on its own: one handler's bug must not starve the
            // others (a USD desktop hosts several controls).
            foreach (EventHandler<T> one in handler.GetInvocationList())
            {
                try { one(this, e); }
                catch (Exception ex) { Report(e, ex); }
            }
        }

        private void Report(GcEvent e, Exception ex)
        {
            var failed = HandlerFailed;
            if (failed == null)
            {
                // Unhandled and unobserved: .NET's own diagnostics channel.
                Trace.TraceError("GcClient: an event handler for {0} threw: {1}", e.Kind, ex);
                return;
            }
            try { failed(this, new HandlerExceptionEventArgs(e, ex)); }
            catch (Exception) { Interlocked.Increment(ref callbackFailures); }
        }

        // ---------------------------------------------------------------- state

        /// <summary>The connection status now.</summary>
        public GcConnectionStatus Status
        {
            get
            {
                GcConnectionStatus s;
                var st = NativeMethods.gc_client_status(Handle, out s);
                if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "status");
                return s;
            }
        }

        /// <summary>This client's topic (the guide's <c>&lt;Client_Destination&gt;</c>).</summary>
        public string Destination
        {
            get { return Utf8.ReadOrThrow((byte[] b, UIntPtr l, out UIntPtr o) => NativeMethods.gc_client_destination(Handle, b, l, out o), "destination"); }
        }

        /// <summary>Events lost because handlers fell behind (see <see cref="GcConfig.EventBuffer"/>).</summary>
        public long DroppedEvents
        {
            get
            {
                ulong n;
                var st = NativeMethods.gc_client_dropped_events(Handle, out n);
                if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "dropped events");
                return (long)n + Interlocked.Read(ref postedDropped);
            }
        }

        /// <summary>Commands sent and still waiting for GC's reply.</summary>
        public int PendingCommands
        {
            get
            {
                UIntPtr n;
                var st = NativeMethods.gc_client_pending_requests(Handle, out n);
                if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "pending commands");
                return (int)n.ToUInt64();
            }
        }

        /// <summary>Events the binding could not read or raise (a bug if not 0).</summary>
        public long CallbackFailures { get { return Interlocked.Read(ref callbackFailures); } }

        /// <summary>The native library's version.</summary>
        public static string NativeVersion
        {
            get { return Utf8.ReadOrThrow(NativeMethods.gc_version, "version"); }
        }

        /// <summary>Every command <see cref="GcAgent.CommandAsync"/> accepts, as JSON (name, wire, params, replies, summary).</summary>
        public static string CommandsJson
        {
            get { return Utf8.ReadOrThrow(NativeMethods.gc_commands_json, "commands"); }
        }

        /// <summary>Waits until GC says IN_SERVICE; <see cref="GcErrorCode.NotInService"/> after <paramref name="timeout"/>.</summary>
        public Task WaitInServiceAsync(TimeSpan timeout, CancellationToken cancellationToken = default(CancellationToken))
        {
            var ms = GcConfig.Millis(timeout, "timeout");
            var h = Handle;
            return Blocking.Run(() =>
            {
                var st = NativeMethods.gc_client_wait_in_service(h, ms);
                if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "wait for GC");
                return true;
            }, cancellationToken, null);
        }

        /// <summary>
        /// The agent <paramref name="agentId"/> on this client (the same object
        /// for the same id until it is disposed). Its events are cached by the
        /// library, and after a reconnect it is logged in again.
        /// </summary>
        public GcAgent Agent(string agentId)
        {
            if (agentId == null) throw new ArgumentNullException("agentId");
            GcAgent existing;
            if (agents.TryGetValue(agentId, out existing)) return existing;
            AgentHandle h;
            var st = NativeMethods.gc_client_agent(Handle, Utf8.Encode(agentId), out h);
            if (st != GcErrorCode.Ok)
            {
                var ex = GcException.FromNative(st, "agent " + agentId);
                if (h != null) h.Dispose();
                throw ex;
            }
            var agent = new GcAgent(this, agentId, h);
            var winner = agents.GetOrAdd(agentId, agent);
            if (winner != agent) agent.DisposeHandle();
            return winner;
        }

        internal void Forget(GcAgent agent)
        {
            ((System.Collections.Generic.ICollection<System.Collections.Generic.KeyValuePair<string, GcAgent>>)agents)
                .Remove(new System.Collections.Generic.KeyValuePair<string, GcAgent>(agent.Id, agent));
        }

        internal ClientHandle Handle
        {
            get
            {
                if (Volatile.Read(ref disposed) != 0) throw new ObjectDisposedException("GcClient");
                return handle;
            }
        }

        // ---------------------------------------------------------------- closing

        /// <summary>
        /// Closes the connection without blocking the caller: pending commands
        /// fail with <see cref="GcErrorCode.Closed"/>, and of the events still
        /// queued only <see cref="StatusChanged"/> with
        /// <see cref="GcConnectionStatus.Closed"/> is raised. The Task completes
        /// when that handler has returned; no handler starts after that.
        /// </summary>
        /// <param name="cancellationToken">Stops waiting (the close goes on).</param>
        /// <returns>A Task that completes when the client is closed.</returns>
        public Task CloseAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            var h = Handle;
            Interlocked.Exchange(ref closing, 1);
            NativeMethods.gc_client_close_nowait(h);
            var done = nativeClosed.Task;
            if (!cancellationToken.CanBeCanceled) return done;
            var tcs = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var reg = cancellationToken.Register(() => tcs.TrySetCanceled(cancellationToken));
            done.ContinueWith(t => { reg.Dispose(); tcs.TrySetResult(true); }, TaskScheduler.Default);
            return tcs.Task;
        }

        // Marks the client closed; the Task completes when no handler runs.
        private Task StopRaising()
        {
            var waiting = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var existing = Interlocked.CompareExchange(ref idle, waiting, null);
            if (existing != null) return existing.Task;
            Interlocked.Exchange(ref closed, 1);
            // A handler on this very thread (CloseAsync from a handler) ends
            // after we return; otherwise wait for the one running, if any.
            if (Volatile.Read(ref raising) == (dispatching == this ? 1 : 0)) waiting.TrySetResult(true);
            return waiting.Task;
        }

        /// <summary>
        /// Closes and frees the client and its agents without waiting for
        /// anything: callable from any thread, including this client's own
        /// handlers and a thread a handler is waiting for (a UI thread). No
        /// handler starts after it returns; one already running finishes on
        /// its own.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            StopRaising();
            foreach (var a in agents.Values) a.DisposeHandle();
            agents.Clear();
            WeakReference<GcClient> ignored;
            Live.TryRemove(id, out ignored);
            // ReleaseHandle: gc_client_free_nowait (closes in the background).
            handle.Dispose();
            nativeClosed.TrySetResult(true);
        }

        private static void CloseAllLive()
        {
            NativeCommand.CancelAllForExit();
            foreach (var weak in Live.Values)
            {
                GcClient c;
                if (!weak.TryGetTarget(out c)) continue;
                try { c.Dispose(); } catch (Exception) { }
            }
        }
    }
}
