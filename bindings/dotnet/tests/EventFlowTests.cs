using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using GenericConnector;
using NUnit.Framework;

namespace GenericConnector.Tests
{
    [TestFixture]
    public class EventFlowTests
    {
        private static int StormSize
        {
            get
            {
                var s = Environment.GetEnvironmentVariable("GCCLIENT_TEST_STORM");
                return string.IsNullOrEmpty(s) ? 100000 : int.Parse(s);
            }
        }

        [Test]
        public void CallbackStormArrivesCompleteAndInOrder()
        {
            int n = StormSize;
            var config = TestEnv.Config();
            config.EventBuffer = n + 1000; // room for the whole storm: the test is about loss in the binding
            using (var client = TestEnv.InService(config))
            {
                var agent = client.Agent(TestEnv.AgentId());
                int count = 0, outOfOrder = 0;
                var done = new ManualResetEventSlim();
                var sw = new Stopwatch();
                agent.EventReceived += (s, e) =>
                {
                    var bar = e as StatusBarEvent;
                    if (bar == null) return;
                    if (count == 0) sw.Start();
                    if (bar.Message != count.ToString(System.Globalization.CultureInfo.InvariantCulture)) outOfOrder++;
                    if (++count == n) { sw.Stop(); done.Set(); }
                };
                TestEnv.Get(agent.MakeCallAsync("burst-" + n));
                Assert.IsTrue(done.Wait(TimeSpan.FromSeconds(Math.Max(60, n / 1000))), "received " + count + " of " + n);
                Assert.AreEqual(n, count);
                Assert.AreEqual(0, outOfOrder);
                Assert.AreEqual(0, client.DroppedEvents);
                Assert.AreEqual(0, client.CallbackFailures);
                Console.WriteLine("storm: {0} events into C# handlers in {1} ms ({2:F0} events/s)",
                    n, sw.ElapsedMilliseconds, n / sw.Elapsed.TotalSeconds);
            }
        }

        [Test]
        public void SlowHandlersLoseTheOldestEventsAndAreTold()
        {
            var config = TestEnv.Config();
            config.EventBuffer = 16;
            using (var slow = TestEnv.InService(config))
            {
                // A second client on the same topic tells when the burst is over.
                var watcherConfig = TestEnv.Config();
                watcherConfig.Destination = slow.Destination;
                using (var watcher = TestEnv.InService(watcherConfig))
                {
                    var gate = new ManualResetEventSlim();
                    var burstOver = new ManualResetEventSlim();
                    var lagged = new Inbox<LaggedEvent>();
                    int watched = 0;
                    watcher.EventReceived += (s, e) => { if (e.Kind == GcEventKind.PrintStatusBar && ++watched == 500) burstOver.Set(); };
                    slow.Lagged += lagged.Add;
                    slow.EventReceived += (s, e) => { if (e.Kind == GcEventKind.PrintStatusBar) gate.Wait(); };

                    TestEnv.Get(slow.Agent(TestEnv.AgentId()).MakeCallAsync("burst-500"));
                    Assert.IsTrue(burstOver.Wait(TestEnv.Wait));
                    gate.Set();
                    var e1 = lagged.Next();
                    Assert.Greater(e1.Dropped, 0);
                    Assert.GreaterOrEqual(slow.DroppedEvents, e1.Dropped);
                }
            }
        }

        [Test]
        public void DisposeWhileEventsAreFlowing()
        {
            var client = TestEnv.InService();
            var agent = client.Agent(TestEnv.AgentId());
            int count = 0;
            var flowing = new ManualResetEventSlim();
            agent.EventReceived += (s, e) => { if (Interlocked.Increment(ref count) == 100) flowing.Set(); };
            TestEnv.Get(agent.MakeCallAsync("burst-20000"));
            Assert.IsTrue(flowing.Wait(TestEnv.Wait));
            client.Dispose();
            int atDispose = Volatile.Read(ref count);
            Assert.Less(atDispose, 20000, "the burst should still be flowing when disposed");
            // A round trip on another client proves time has passed while the
            // burst was still being sent to the disposed one.
            using (var other = TestEnv.InService())
                TestEnv.Get(other.Agent(TestEnv.AgentId()).GetStateAsync());
            Assert.AreEqual(atDispose, Volatile.Read(ref count), "an event was raised after Dispose returned");
        }

        [Test]
        public void DisposeFromItsOwnHandlerDoesNotDeadlock()
        {
            var client = TestEnv.InService();
            var agent = client.Agent(TestEnv.AgentId());
            var handlerReturned = new ManualResetEventSlim();
            agent.EventReceived += (s, e) =>
            {
                if (e.Kind != GcEventKind.PrintStatusBar || handlerReturned.IsSet) return;
                client.Dispose();
                handlerReturned.Set();
            };
            TestEnv.Get(agent.MakeCallAsync("burst-1000"));
            Assert.IsTrue(handlerReturned.Wait(TestEnv.Wait));
            Assert.Throws<ObjectDisposedException>(() => { var st = client.Status; });
        }

        [Test]
        public void EventsArriveOnTheSynchronizationContextInOrder()
        {
            using (var ui = new UiThreadContext())
            {
                var config = TestEnv.Config();
                config.SynchronizationContext = ui;
                using (var client = TestEnv.InService(config))
                {
                    var agent = client.Agent(TestEnv.AgentId());
                    int wrongThread = 0, count = 0, outOfOrder = 0;
                    var done = new ManualResetEventSlim();
                    agent.EventReceived += (s, e) =>
                    {
                        if (Thread.CurrentThread.ManagedThreadId != ui.ThreadId) wrongThread++;
                        var bar = e as StatusBarEvent;
                        if (bar == null) return;
                        if (bar.Message != count.ToString(System.Globalization.CultureInfo.InvariantCulture)) outOfOrder++;
                        if (++count == 2000) done.Set();
                    };
                    var state = (AgentStateEvent)TestEnv.Get(agent.LoginAsync("secret", "5001"));
                    Assert.AreEqual(AgentState.NotReady, state.State);
                    TestEnv.Get(agent.MakeCallAsync("burst-2000"));
                    Assert.IsTrue(done.Wait(TestEnv.Wait), "received " + count);
                    Assert.AreEqual(0, wrongThread);
                    Assert.AreEqual(0, outOfOrder);
                }
            }
        }

        [Test]
        public void ProcessExitWithALiveClientDoesNotCrash()
        {
            var exe = Path.Combine(Path.GetDirectoryName(typeof(EventFlowTests).Assembly.Location), "ExitWithLiveClient.exe");
            Assert.IsTrue(File.Exists(exe), exe + " not built");
            var psi = new ProcessStartInfo("mono", "\"" + exe + "\" tcp://" + TestEnv.Stomp + " " + TestEnv.Queue + " " + TestEnv.AgentId())
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using (var p = Process.Start(psi))
            {
                var stderr = p.StandardError.ReadToEndAsync();
                var stdout = p.StandardOutput.ReadToEnd();
                Assert.IsTrue(p.WaitForExit(30000), "the process did not exit");
                Assert.AreEqual(0, p.ExitCode, stdout + stderr.Result);
                StringAssert.Contains("exiting with a live client", stdout);
            }
        }
    }
}
