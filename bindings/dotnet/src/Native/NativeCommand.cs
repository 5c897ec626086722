using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace GenericConnector.Native
{
    /// <summary>
    /// One asynchronous command of the C ABI (<c>gc_agent_command_async</c>,
    /// <c>gc_agent_login_async</c>) as a <see cref="TaskCompletionSource{T}"/>.
    /// </summary>
    /// <remarks>
    /// No thread waits for GC: the library calls <see cref="Completed"/> once
    /// from its runtime thread, and cancelling asks the library to forget the
    /// request. The native side hands the <see cref="GCHandle"/> back exactly
    /// once, either to the callback or to a successful cancel, so exactly
    /// one of them frees it.
    /// </remarks>
    internal sealed class NativeCommand
    {
        internal delegate GcErrorCode Starter(NativeMethods.CommandCallback callback, IntPtr userdata, out IntPtr request);

        // Static, so never collected while the library may call it.
        private static readonly NativeMethods.CommandCallback Completed = OnCompleted;

        // Commands in flight, for the process exit (they hold no client).
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<NativeCommand, bool> InFlight =
            new System.Collections.Concurrent.ConcurrentDictionary<NativeCommand, bool>();

        // Continuations run in the callback, on the library's completion
        // thread: a hop to the thread pool cost about 35 µs a command
        // (docs/benchmarks.md). One that blocks, even on another command,
        // holds up nobody: the library gives the next completion another
        // thread when this one is busy.
        private readonly TaskCompletionSource<GcEvent> tcs = new TaskCompletionSource<GcEvent>();
        private readonly string what;
        private readonly Action<GcEvent> ended;
        private GCHandle self;
        private IntPtr request;
        private CancellationToken token;
        private CancellationTokenRegistration registration;

        private NativeCommand(string what, Action<GcEvent> ended)
        {
            this.what = what;
            this.ended = ended;
        }

        // Exactly once per command: GC's Error event when that was the reply, else null.
        private void End(GcEvent errorReply)
        {
            if (ended == null) return;
            try { ended(errorReply); }
            catch (Exception) { }
        }

        /// <summary>
        /// Starts a command. A failure of the start itself (nothing sent)
        /// is a faulted Task, like every other failure of the command.
        /// <paramref name="ended"/> is called once when the command ends,
        /// however it ends, with GC's Error event when that was its reply.
        /// </summary>
        internal static Task<GcEvent> Start(string what, Starter start, CancellationToken ct, Action<GcEvent> ended)
        {
            var c = new NativeCommand(what, ended);
            if (ct.IsCancellationRequested)
            {
                c.End(null);
                return Task.FromCanceled<GcEvent>(ct);
            }
            c.self = GCHandle.Alloc(c);
            IntPtr request;
            var st = start(Completed, GCHandle.ToIntPtr(c.self), out request);
            if (st != GcErrorCode.Ok)
            {
                var e = GcException.FromNative(st, what);
                c.self.Free();
                c.End(null);
                return Task.FromException<GcEvent>(e);
            }
            lock (c)
            {
                c.request = request;
                c.token = ct;
            }
            InFlight[c] = true;
            // It may have completed before it was counted.
            if (c.tcs.Task.IsCompleted) InFlight.TryRemove(c, out _);
            if (ct.CanBeCanceled)
            {
                var reg = ct.Register(s => ((NativeCommand)s).Cancel(), c);
                bool done;
                lock (c)
                {
                    // The command may have completed meanwhile.
                    done = c.tcs.Task.IsCompleted;
                    if (!done) c.registration = reg;
                }
                // Outside the lock: Dispose waits for a running Cancel, which takes it.
                if (done) reg.Dispose();
            }
            return c.tcs.Task;
        }

        /// <summary>
        /// At process exit: cancels every command in flight, so the library
        /// does not call back into a runtime that is shutting down (Mono 6.8
        /// can crash when a library thread enters managed code then).
        /// </summary>
        internal static void CancelAllForExit()
        {
            foreach (var c in InFlight.Keys)
            {
                try { c.Cancel(); } catch (Exception) { }
            }
        }

        private void Cancel()
        {
            IntPtr r;
            lock (this) r = request;
            byte cancelled;
            if (NativeMethods.gc_request_cancel(r, out cancelled) == GcErrorCode.Ok && cancelled != 0)
            {
                self.Free();
                InFlight.TryRemove(this, out _);
                End(null);
                tcs.TrySetCanceled(token);
            }
        }

        // Library threads become managed threads the first time they call
        // in; as foreground threads they would keep the process alive at exit.
        [ThreadStatic] private static bool marked;

        internal static void MarkBackground()
        {
            if (marked) return;
            marked = true;
            Thread.CurrentThread.IsBackground = true;
        }

        private static void OnCompleted(IntPtr userdata, GcErrorCode status, IntPtr reply)
        {
            // Runs on a library completion thread: nothing may escape. The
            // Task's continuations run here too, so the command's own
            // bookkeeping is done before its result is set.
            NativeCommand c;
            try
            {
                MarkBackground();
                var h = GCHandle.FromIntPtr(userdata);
                c = (NativeCommand)h.Target;
                h.Free();
            }
            catch (Exception)
            {
                return;
            }
            GcEvent ev = null, result = null;
            Exception error = null;
            try
            {
                // The message first: any other native call sets its own.
                var failure = status == GcErrorCode.Ok ? null : Utf8.LastError();
                ev = reply == IntPtr.Zero ? null : GcClient.ReadLent(reply);
                result = GcAgent.Finish(status, failure, ev, c.what);
            }
            catch (Exception e)
            {
                error = e;
            }
            InFlight.TryRemove(c, out _);
            c.End(status == GcErrorCode.Gc ? ev : null);
            CancellationTokenRegistration reg;
            lock (c) reg = c.registration;
            reg.Dispose();
            if (error != null) c.tcs.TrySetException(error);
            else c.tcs.TrySetResult(result);
        }
    }
}
