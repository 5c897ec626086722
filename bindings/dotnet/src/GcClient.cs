using System;
using System.Collections.Concurrent;
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

        public GcEvent Event { get; private set; }
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
        private static readonly ConcurrentDictionary<long, GcClient> Live = new ConcurrentDictionary<long, GcClient>();
        private static long lastId;

        // The client whose handlers run on this thread now (re-entrancy guard).
        [ThreadStatic] private static GcClient dispatching;

        private readonly ClientHandle handle;
        private readonly long id;
        private readonly SynchronizationContext context;
        private readonly ConcurrentDictionary<string, GcAgent> agents = new ConcurrentDictionary<string, GcAgent>(StringComparer.Ordinal);
        private int closed;   // 1 once Close started: later events are not raised
        private int disposed;
        private long callbackFailures;

        static GcClient()
        {
            // A live client's dispatcher thread must not call into a runtime
            // that is shutting down: close every client first.
            AppDomain.CurrentDomain.ProcessExit += (s, e) => CloseAllLive();
            AppDomain.CurrentDomain.DomainUnload += (s, e) => CloseAllLive();
        }

        private GcClient(ClientHandle handle, SynchronizationContext context)
        {
            this.handle = handle;
            this.context = context;
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
            var client = new GcClient(h, config.SynchronizationContext);
            Live[client.id] = client;
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
                EventBuffer = config.EventBuffer == null ? 0u : checked((uint)config.EventBuffer.Value),
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
                if (!Live.TryGetValue(userdata.ToInt64(), out client) || Volatile.Read(ref client.closed) == 2) return;
                var e = ReadLent(ev);
                if (client.context == null)
                    client.Raise(e);
                else
                    client.context.Post(state => { if (Volatile.Read(ref client.disposed) == 0) client.Raise((GcEvent)state); }, e);
            }
            catch (Exception)
            {
                if (client != null) Interlocked.Increment(ref client.callbackFailures);
            }
        }

        internal static GcEvent ReadLent(IntPtr ev)
        {
            GcEventKind kind;
            var st = NativeMethods.gc_event_get_kind(ev, out kind);
            if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "event kind");
            var buf = Utf8.Buffer(0);
            UIntPtr n;
            st = NativeMethods.gc_event_to_json(ev, buf, (UIntPtr)buf.Length, out n);
            if (st == GcErrorCode.BufferTooSmall)
            {
                buf = Utf8.Buffer(checked((int)n.ToUInt64() + 1));
                st = NativeMethods.gc_event_to_json(ev, buf, (UIntPtr)buf.Length, out n);
            }
            if (st != GcErrorCode.Ok) throw GcException.FromNative(st, "event JSON");
            return GcEvent.Create(kind, Utf8.Decode(buf, (int)n.ToUInt64()));
        }

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
            if (failed == null) return;
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
                return (long)n;
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
        /// Closes the connection: pending commands fail with
        /// <see cref="GcErrorCode.Closed"/>, <see cref="StatusChanged"/> reports
        /// <see cref="GcConnectionStatus.Closed"/>, and no event is raised after it.
        /// </summary>
        public Task CloseAsync()
        {
            if (dispatching == this)
                return Task.Run(() => CloseNow()); // the native close would wait for this very handler
            CloseNow();
            return Task.FromResult(true);
        }

        private void CloseNow()
        {
            if (Interlocked.CompareExchange(ref closed, 1, 0) != 0) return;
            NativeMethods.gc_client_close(handle);
            Volatile.Write(ref closed, 2);
        }

        /// <summary>
        /// Closes (see <see cref="CloseAsync"/>) and frees the client and its
        /// agents. From one of this client's own event handlers the close
        /// finishes on the thread pool after the handler returns.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            if (dispatching == this)
            {
                Task.Run(() => Release());
                return;
            }
            Release();
        }

        private void Release()
        {
            CloseNow();
            foreach (var a in agents.Values) a.DisposeHandle();
            agents.Clear();
            GcClient ignored;
            Live.TryRemove(id, out ignored);
            handle.Dispose();
        }

        private static void CloseAllLive()
        {
            foreach (var c in Live.Values)
            {
                try { c.CloseNow(); } catch (Exception) { }
            }
        }
    }
}
