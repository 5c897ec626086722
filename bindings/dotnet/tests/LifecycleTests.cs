using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using GenericConnector;
using NUnit.Framework;

namespace GenericConnector.Tests
{
    /// <summary>
    /// What a USD desktop needs from the client's life: commands that hold
    /// no thread, Dispose and exit that never hang, bounded UI delivery.
    /// The scripted peer never answers <c>MakeCall</c> to <c>silent...</c>.
    /// </summary>
    [TestFixture]
    public class LifecycleTests
    {
        private static TimeSpan Long { get { return TimeSpan.FromMinutes(2); } }

        private static void WaitPending(GcClient client, int n)
        {
            var deadline = DateTime.UtcNow + TestEnv.Wait;
            while (client.PendingCommands < n && DateTime.UtcNow < deadline) Thread.Sleep(1);
            Assert.AreEqual(n, client.PendingCommands, "commands pending in the library");
        }

        [Test]
        public void ThousandPendingCommandsHoldNoThreadAndCancellingFreesThemAtOnce()
        {
            using (var client = TestEnv.InService())
            using (var cts = new CancellationTokenSource())
            {
                var agent = client.Agent(TestEnv.AgentId());
                var pending = new List<Task<GcEvent>>();
                for (int i = 0; i < 1000; i++)
                    pending.Add(agent.CommandAsync("make_call", new[] { "silent-" + i }, Long, cts.Token));
                WaitPending(client, 1000);

                // An unrelated task on the shared pool starts at once.
                double worst = 0;
                for (int i = 0; i < 20; i++)
                {
                    var sw = Stopwatch.StartNew();
                    var started = Task.Run(() => sw.Elapsed.TotalMilliseconds);
                    Assert.IsTrue(started.Wait(TestEnv.Wait));
                    worst = Math.Max(worst, started.Result);
                }
                Console.WriteLine("pool: with 1000 commands pending, Task.Run started within {0:F2} ms (worst of 20)", worst);
                Assert.Less(worst, 50.0);
                foreach (var t in pending) Assert.IsFalse(t.IsCompleted);

                var cancelTime = Stopwatch.StartNew();
                cts.Cancel();
                cancelTime.Stop();
                foreach (var t in pending) Assert.IsTrue(t.IsCanceled, "cancelled at once: " + t.Status);
                Assert.AreEqual(0, client.PendingCommands, "the library forgot every cancelled command");
                Console.WriteLine("cancel: 1000 commands cancelled and freed natively in {0} ms", cancelTime.ElapsedMilliseconds);
                // The client goes on working.
                Assert.AreEqual(AgentState.NotReady, TestEnv.Get(agent.GetStateAsync()).State);
            }
        }

        [Test]
        public void ATimeoutOrACloseEndsAPendingCommand()
        {
            var client = TestEnv.InService();
            var agent = client.Agent(TestEnv.AgentId());
            var timedOut = TestEnv.Fails<GcException>(agent.CommandAsync("make_call", new[] { "silent-t" }, TimeSpan.FromMilliseconds(200)));
            Assert.AreEqual(GcErrorCode.Timeout, timedOut.ErrorCode);
            var pending = agent.CommandAsync("make_call", new[] { "silent-c" }, Long);
            WaitPending(client, 1);
            client.Dispose();
            Assert.AreEqual(GcErrorCode.Closed, TestEnv.Fails<GcException>(pending).ErrorCode);
        }

        [Test]
        public void ErrorIsRaisedOnlyForErrorsNoReplyCarries()
        {
            using (var mine = TestEnv.InService())
            {
                var watcherConfig = TestEnv.Config();
                watcherConfig.Destination = mine.Destination; // sees the same replies, sent no command
                using (var watcher = TestEnv.InService(watcherConfig))
                {
                    var id = TestEnv.AgentId();
                    var agent = mine.Agent(id);
                    var mineErrors = new Inbox<ErrorEvent>();
                    var otherErrors = new Inbox<ErrorEvent>();
                    agent.Error += mineErrors.Add;
                    watcher.Agent(id).Error += otherErrors.Add;
                    int mineCount = 0;
                    agent.Error += (s, e) => Interlocked.Increment(ref mineCount);

                    var refused = TestEnv.Fails<GcException>(agent.LoginAsync("secret", "0000"));
                    Assert.AreEqual("WRONG_EXTENSION", refused.GcCode);
                    Assert.AreEqual("WRONG_EXTENSION", otherErrors.Next().Code, "the watcher has no command: Error for it");
                    // A later round trip: the stream event of the refusal has been handled.
                    TestEnv.Get(agent.GetStateAsync());
                    TestEnv.Get(watcher.Agent(id).GetStateAsync());
                    Assert.AreEqual(0, Volatile.Read(ref mineCount), "the refusal was the command's reply, not an Error event");
                }
            }
        }

        [Test]
        public void AnUnrelatedErrorIsNotHeldBackByAPendingCommand()
        {
            using (var mine = TestEnv.InService())
            {
                var otherConfig = TestEnv.Config();
                otherConfig.Destination = mine.Destination;
                using (var other = TestEnv.InService(otherConfig))
                {
                    var id = TestEnv.AgentId();
                    var agent = mine.Agent(id);
                    var errors = new Inbox<ErrorEvent>();
                    agent.Error += errors.Add;
                    var pending = agent.CommandAsync("make_call", new[] { "silent-held" }, Long);
                    WaitPending(mine, 1);
                    // The other client's refusal lands on the shared topic: for
                    // `mine` it is an Error no command of its own caused.
                    var sw = Stopwatch.StartNew();
                    Assert.AreEqual("WRONG_EXTENSION", TestEnv.Fails<GcException>(other.Agent(id).LoginAsync("secret", "0000")).GcCode);
                    Assert.AreEqual("WRONG_EXTENSION", errors.Next().Code);
                    Console.WriteLine("held: an unrelated Error was raised {0} ms after it arrived, a command still pending", sw.ElapsedMilliseconds);
                    Assert.IsFalse(pending.IsCompleted);
                }
            }
        }

        private sealed class Recorder : TraceListener
        {
            public readonly BlockingCollection<string> Lines = new BlockingCollection<string>();
            public override void Write(string message) { }
            public override void WriteLine(string message) { Lines.Add(message); }
            public override void TraceEvent(TraceEventCache c, string source, TraceEventType type, int id, string format, params object[] args)
            {
                Lines.Add(type + ": " + (args == null ? format : string.Format(format, args)));
            }
        }

        [Test]
        public void HandlerExceptionsGoToTraceWhenNobodyListens()
        {
            var recorder = new Recorder();
            Trace.Listeners.Add(recorder);
            try
            {
                using (var client = TestEnv.InService())
                {
                    var agent = client.Agent(TestEnv.AgentId());
                    agent.StateChanged += (s, e) => { throw new InvalidOperationException("handler bug 42"); };
                    TestEnv.Get(agent.LoginAsync("secret", "5001"));
                    string line;
                    var deadline = DateTime.UtcNow + TestEnv.Wait;
                    do
                    {
                        Assert.IsTrue(recorder.Lines.TryTake(out line, TestEnv.Wait), "nothing traced");
                    } while (!line.Contains("handler bug 42") && DateTime.UtcNow < deadline);
                    StringAssert.Contains("Error", line);
                    StringAssert.Contains("handler bug 42", line);
                }
            }
            finally
            {
                Trace.Listeners.Remove(recorder);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Task<GcEvent> AbandonClientWithAPendingCommand(out WeakReference weak)
        {
            var client = TestEnv.InService();
            var agent = client.Agent(TestEnv.AgentId());
            int events = 0;
            client.EventReceived += (s, e) => events++;
            var pending = agent.CommandAsync("make_call", new[] { "silent-gc" }, Long);
            WaitPending(client, 1);
            weak = new WeakReference(client);
            return pending;
        }

        [Test]
        public void AnUndisposedClientIsFinalisedAndClosedOnceUnreachable()
        {
            WeakReference weak = null;
            Task<GcEvent> pending = null;
            // On a thread of its own, so no stale stack slot of this one
            // (Mono scans stacks conservatively) keeps the client alive.
            var t = new Thread(() => { pending = AbandonClientWithAPendingCommand(out weak); });
            t.Start();
            Assert.IsTrue(t.Join(TestEnv.Wait));
            for (int i = 0; i < 10 && weak.IsAlive; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            Assert.IsFalse(weak.IsAlive, "the client is still reachable");
            // Its handle's finalizer closed the native side: the command fails.
            Assert.AreEqual(GcErrorCode.Closed, TestEnv.Fails<GcException>(pending).ErrorCode);
        }

        /// <summary>A UI thread whose Send waits for it, as Dispatcher.Invoke does.</summary>
        private sealed class InvokingUi : SynchronizationContext, IDisposable
        {
            private readonly BlockingCollection<Action> queue = new BlockingCollection<Action>();
            private readonly Thread thread;
            public int Posts;
            public int MaxQueued;

            public InvokingUi()
            {
                thread = new Thread(() => { SetSynchronizationContext(this); foreach (var a in queue.GetConsumingEnumerable()) a(); }) { IsBackground = true, Name = "test-ui" };
                thread.Start();
            }

            public int ThreadId { get { return thread.ManagedThreadId; } }

            public override void Post(SendOrPostCallback d, object state)
            {
                Interlocked.Increment(ref Posts);
                queue.Add(() => d(state));
                var queued = queue.Count;
                if (queued > Volatile.Read(ref MaxQueued)) Volatile.Write(ref MaxQueued, queued);
            }

            public override void Send(SendOrPostCallback d, object state)
            {
                var done = new ManualResetEventSlim();
                queue.Add(() => { d(state); done.Set(); });
                done.Wait();
            }

            /// <summary>Waits until everything queued so far has run.</summary>
            public void Flush()
            {
                var done = new ManualResetEventSlim();
                queue.Add(() => done.Set());
                Assert.IsTrue(done.Wait(TestEnv.Wait), "the UI thread is stuck");
            }

            public void Dispose()
            {
                queue.CompleteAdding();
                thread.Join(TestEnv.Wait);
            }
        }

        [Test]
        public void DisposeOnTheUiThreadWhileAHandlerWaitsForItCompletes()
        {
            using (var ui = new InvokingUi())
            {
                var client = TestEnv.InService();
                var agent = client.Agent(TestEnv.AgentId());
                var handlerSending = new ManualResetEventSlim();
                var handlerDone = new ManualResetEventSlim();
                long disposeMs = -1;
                var disposed = new ManualResetEventSlim();
                // Queued first: the UI thread is busy in it while the handler waits for the UI.
                ui.Post(_ =>
                {
                    handlerSending.Wait();
                    var sw = Stopwatch.StartNew();
                    client.Dispose();
                    disposeMs = sw.ElapsedMilliseconds;
                    disposed.Set();
                }, null);
                agent.EventReceived += (s, e) =>
                {
                    if (e.Kind != GcEventKind.PrintStatusBar || handlerSending.IsSet) return;
                    handlerSending.Set();
                    ui.Send(_ => { }, null); // Dispatcher.Invoke
                    handlerDone.Set();
                };
                TestEnv.Get(agent.MakeCallAsync("burst-1000"));
                Assert.IsTrue(disposed.Wait(TestEnv.Wait), "Dispose on the UI thread did not return");
                Assert.IsTrue(handlerDone.Wait(TestEnv.Wait), "the handler's Invoke never ran");
                Console.WriteLine("dispose: returned in {0} ms on the UI thread a handler was waiting for", disposeMs);
                Assert.Less(disposeMs, 1000);
            }
        }

        [Test]
        public void SynchronizationContextDeliveryIsBoundedAndCoalesced()
        {
            using (var ui = new InvokingUi())
            {
                var config = TestEnv.Config();
                config.SynchronizationContext = ui;
                config.EventBuffer = 500;
                using (var client = TestEnv.InService(config))
                {
                    const int n = 20000;
                    var watcherConfig = TestEnv.Config();
                    watcherConfig.Destination = client.Destination;
                    watcherConfig.EventBuffer = n + 1000; // the watcher must see the whole burst
                    using (var watcher = TestEnv.InService(watcherConfig))
                    {
                        int delivered = 0, wrongThread = 0, watched = 0, watchedOther = 0;
                        long lost = 0;
                        var burstOver = new ManualResetEventSlim();
                        watcher.EventReceived += (s, e) =>
                        {
                            if (e.Kind != GcEventKind.PrintStatusBar) Interlocked.Increment(ref watchedOther);
                            else if (++watched == n) burstOver.Set();
                        };
                        client.Lagged += (s, e) => lost += e.Dropped;
                        client.EventReceived += (s, e) =>
                        {
                            if (Thread.CurrentThread.ManagedThreadId != ui.ThreadId) wrongThread++;
                            if (e.Kind != GcEventKind.PrintStatusBar) return;
                            // The UI is busy for the whole burst at first (so the
                            // queue must overflow however fast the machine), then
                            // a 200 µs handler per event.
                            if (delivered++ == 0) burstOver.Wait(TimeSpan.FromSeconds(60));
                            var sw = Stopwatch.StartNew();
                            while (sw.Elapsed.TotalMilliseconds < 0.2) { }
                        };
                        var postsBefore = Volatile.Read(ref ui.Posts);
                        TestEnv.Get(client.Agent(TestEnv.AgentId()).MakeCallAsync("burst-" + n));
                        Assert.IsTrue(burstOver.Wait(TimeSpan.FromSeconds(60)), "the watcher saw " + watched + " of " + n);
                        // The last native events are delivered to the queue after the watcher saw them.
                        var deadline = DateTime.UtcNow + TestEnv.Wait;
                        while (delivered + lost < n && DateTime.UtcNow < deadline) ui.Flush();
                        var posts = Volatile.Read(ref ui.Posts) - postsBefore;
                        Console.WriteLine("context: {0} events, {1} raised on the UI thread, {2} dropped (Lagged), {3} posts, at most {4} waiting in the UI queue",
                            n, delivered, lost, posts, ui.MaxQueued);
                        Assert.AreEqual(0, wrongThread);
                        // Bounded like the direct path: the native subscriber buffer
                        // (EventBuffer) plus the context queue (EventBuffer) plus the
                        // one event the UI thread holds; the oldest beyond are dropped.
                        Assert.GreaterOrEqual(lost, n - 2 * 500 - 1, "beyond EventBuffer (500) the oldest are dropped and reported as Lagged");
                        Assert.GreaterOrEqual(client.DroppedEvents, lost);
                        // Lagged counts every notification dropped: the burst's, and
                        // the few other events on the topic (the call's own) when
                        // they fall in the overflow, which the watcher saw too.
                        Assert.GreaterOrEqual(delivered + lost, n, "every event raised or counted as dropped");
                        Assert.LessOrEqual(delivered + lost, n + Volatile.Read(ref watchedOther), "dropped events counted once");
                        Assert.Less(posts, delivered, "posts are coalesced");
                        Assert.LessOrEqual(ui.MaxQueued, 3, "the UI queue holds a drain or two, never the events");
                    }
                }
            }
        }

        [Test]
        public void CloseAsyncDoesNotBlockAndNoHandlerStartsAfterIt()
        {
            using (var ui = new InvokingUi())
            {
                var config = TestEnv.Config();
                config.SynchronizationContext = ui;
                var client = TestEnv.InService(config);
                var agent = client.Agent(TestEnv.AgentId());
                int count = 0, afterClose = 0, closeReturned = 0;
                var flowing = new ManualResetEventSlim();
                client.EventReceived += (s, e) =>
                {
                    if (Volatile.Read(ref closeReturned) != 0) afterClose++;
                    if (++count == 100) flowing.Set();
                };
                TestEnv.Get(agent.MakeCallAsync("burst-20000"));
                Assert.IsTrue(flowing.Wait(TestEnv.Wait));
                var sw = Stopwatch.StartNew();
                var closing = client.CloseAsync(CancellationToken.None);
                var callMs = sw.ElapsedMilliseconds;
                Assert.IsTrue(closing.Wait(TestEnv.Wait), "CloseAsync did not complete");
                Volatile.Write(ref closeReturned, 1);
                ui.Flush(); // anything already posted has run
                Console.WriteLine("close: CloseAsync returned in {0} ms, completed in {1} ms, {2} events before", callMs, sw.ElapsedMilliseconds, count);
                Assert.Less(callMs, 100);
                Assert.AreEqual(0, afterClose, "an event was raised after CloseAsync completed");
                Assert.Less(count, 20000);
                Assert.AreEqual(GcErrorCode.Closed, TestEnv.Fails<GcException>(agent.GetStateAsync()).ErrorCode);
                client.Dispose();
            }
        }

        [TestCase("main")]
        [TestCase("handler-exit")]
        [TestCase("ui-exit")]
        [TestCase("ui-dispose")]
        [TestCase("pending")]
        public void ExitWithALiveClientIsPrompt(string pattern)
        {
            var exe = Path.Combine(Path.GetDirectoryName(typeof(LifecycleTests).Assembly.Location), "ExitWithLiveClient.exe");
            Assert.IsTrue(File.Exists(exe), exe + " not built");
            var psi = new ProcessStartInfo("mono", "\"" + exe + "\" tcp://" + TestEnv.Stomp + " " + TestEnv.Queue + " " + TestEnv.AgentId() + " " + pattern)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using (var p = Process.Start(psi))
            {
                var stderr = p.StandardError.ReadToEndAsync();
                string line, output = "";
                Stopwatch sinceExit = null;
                while ((line = p.StandardOutput.ReadLine()) != null)
                {
                    output += line + "\n";
                    if (line.StartsWith("exiting", StringComparison.Ordinal) && sinceExit == null) sinceExit = Stopwatch.StartNew();
                }
                Assert.IsTrue(p.WaitForExit(30000), "the process did not exit: " + output);
                Assert.IsNotNull(sinceExit, "never reached the exit: " + output + stderr.Result);
                var ms = sinceExit.ElapsedMilliseconds;
                Console.WriteLine("exit ({0}): {1} ms from the exit to the end of the process", pattern, ms);
                Assert.AreEqual(0, p.ExitCode, output + stderr.Result);
                Assert.Less(ms, 1000, "exit took too long");
            }
        }
    }
}
