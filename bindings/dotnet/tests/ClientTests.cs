using System;
using System.Threading;
using System.Threading.Tasks;
using GenericConnector;
using NUnit.Framework;

namespace GenericConnector.Tests
{
    [TestFixture]
    public class ClientTests
    {
        [Test]
        public void NativeLibraryAnswersVersionAndCommandList()
        {
            StringAssert.IsMatch(@"^\d+\.\d+\.\d+", GcClient.NativeVersion);
            StringAssert.Contains("\"make_call\"", GcClient.CommandsJson);
        }

        [Test]
        public void ConnectsAndGcPutsTheClientInService()
        {
            using (var client = TestEnv.InService())
            {
                Assert.AreEqual(GcConnectionStatus.InService, client.Status);
                StringAssert.StartsWith("gcclient.", client.Destination);
                Assert.AreEqual(0, client.DroppedEvents);
            }
        }

        [Test]
        public void ConfigErrorsAreTyped()
        {
            var bad = TestEnv.Fails<GcException>(GcClient.ConnectAsync(new GcConfig { Brokers = "carrier-pigeon://x" }));
            Assert.AreEqual(GcErrorCode.Config, bad.ErrorCode);
            StringAssert.Contains("carrier-pigeon", bad.Message);

            var json = TestEnv.Fails<GcException>(GcClient.ConnectAsync(GcConfig.FromJson("{\"brokers\": 5}")));
            Assert.AreEqual(GcErrorCode.Config, json.ErrorCode);

            Assert.Throws<ArgumentException>(() => GcClient.Connect(new GcConfig()));
            Assert.Throws<ArgumentOutOfRangeException>(() => GcClient.Connect(new GcConfig { Brokers = "tcp://127.0.0.1:1", RequestTimeout = TimeSpan.Zero }));
        }

        /// <summary>Issue 24: absurd settings are config errors naming the
        /// setting (0xFFFFFFFF events aborted the process; 2^62 via JSON was
        /// an internal error); a password in a broker URL is never shown.</summary>
        [Test]
        public void AbsurdSettingsAreConfigErrorsAndUrlPasswordsStaySecret()
        {
            var huge = Assert.Throws<GcException>(() => GcClient.Connect(new GcConfig { Brokers = "tcp://127.0.0.1:1", EventBuffer = int.MaxValue }));
            Assert.AreEqual(GcErrorCode.Config, huge.ErrorCode);
            StringAssert.Contains("event_buffer", huge.Message);
            var json = Assert.Throws<GcException>(() => GcClient.Connect(GcConfig.FromJson("{\"brokers\": [\"tcp://127.0.0.1:1\"], \"event_buffer\": 4611686018427387904}")));
            Assert.AreEqual(GcErrorCode.Config, json.ErrorCode);
            var backoff = Assert.Throws<GcException>(() => GcClient.Connect(GcConfig.FromJson("{\"brokers\": [\"tcp://127.0.0.1:1\"], \"backoff_max_ms\": 0}")));
            StringAssert.Contains("backoff_max_ms", backoff.Message);
            var url = Assert.Throws<GcException>(() => GcClient.Connect(new GcConfig { Brokers = "tcp://u:Url-Pw-93c1@127.0.0.1:0" }));
            Assert.AreEqual(GcErrorCode.Config, url.ErrorCode);
            StringAssert.DoesNotContain("Url-Pw-93c1", url.Message + url.ToString());
        }

        /// <summary>Issue 24: a client started before its broker keeps trying
        /// instead of failing after the connect timeout.</summary>
        [Test]
        public void StartReturnsAtOnceAndKeepsTrying()
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using (var client = GcClient.Start(new GcConfig { Brokers = "tcp://127.0.0.1:1", ConnectTimeout = TimeSpan.FromMilliseconds(100) }))
            {
                Assert.Less(watch.ElapsedMilliseconds, 1000);
                Assert.AreEqual(GcConnectionStatus.Connecting, client.Status);
            }
            Assert.Throws<ArgumentException>(() => GcClient.Start(GcConfig.FromToml("brokers = [\"tcp://127.0.0.1:1\"]")));
        }

        [Test]
        public void UnreachableBrokerIsTypedAndThePasscodeStaysSecret()
        {
            var config = new GcConfig
            {
                Brokers = "tcp://127.0.0.1:1",
                BrokerLogin = "admin",
                BrokerPasscode = "hunter2-secret",
                ConnectTimeout = TimeSpan.FromSeconds(2),
            };
            var e = TestEnv.Fails<GcException>(GcClient.ConnectAsync(config));
            Assert.AreEqual(GcErrorCode.BrokerUnreachable, e.ErrorCode);
            StringAssert.DoesNotContain("hunter2", e.Message);
            StringAssert.DoesNotContain("hunter2", config.ToString());
        }

        [Test]
        public void TomlConfigReachesEverySetting()
        {
            var toml = "brokers = [\"tcp://" + TestEnv.Stomp + "\"]\nqueue = \"" + TestEnv.Queue + "\"\n";
            using (var client = GcClient.ConnectAsync(GcConfig.FromToml(toml)).Result)
            {
                client.WaitInServiceAsync(TestEnv.Wait).Wait();
                Assert.AreEqual(GcConnectionStatus.InService, client.Status);
            }
        }

        [Test]
        public void CancelledConnectEndsAtOnce()
        {
            var cts = new CancellationTokenSource();
            cts.Cancel();
            var task = GcClient.ConnectAsync(TestEnv.Config(), cts.Token);
            Assert.IsTrue(task.IsCanceled);
        }

        [Test]
        public void WaitInServiceTimesOutWithoutGc()
        {
            var config = TestEnv.Config();
            config.Queue = "nobody-listens-" + Guid.NewGuid().ToString("N");
            using (var client = GcClient.ConnectAsync(config).Result)
            {
                var e = TestEnv.Fails<GcException>(client.WaitInServiceAsync(TimeSpan.FromMilliseconds(300)));
                Assert.AreEqual(GcErrorCode.NotInService, e.ErrorCode);
                var agent = client.Agent("1001");
                var notSent = TestEnv.Fails<GcException>(agent.MakeReadyAsync());
                Assert.AreEqual(GcErrorCode.NotInService, notSent.ErrorCode);
            }
        }

        [Test]
        public void StatusEventsReportCloseAndNothingIsRaisedAfterDispose()
        {
            var client = TestEnv.InService();
            var statuses = new Inbox<StatusEvent>();
            client.StatusChanged += statuses.Add;
            var closed = client.CloseAsync();
            Assert.IsTrue(closed.Wait(TestEnv.Wait));
            Assert.AreEqual(GcConnectionStatus.Closed, statuses.Next(s => s.Status == GcConnectionStatus.Closed).Status);
            Assert.AreEqual(GcConnectionStatus.Closed, client.Status);
            var agent = client.Agent("1001");
            Assert.AreEqual(GcErrorCode.Closed, TestEnv.Fails<GcException>(agent.MakeReadyAsync()).ErrorCode);
            client.Dispose();
            client.Dispose(); // idempotent
            Assert.Throws<ObjectDisposedException>(() => { var s = client.Status; });
            Assert.Throws<ObjectDisposedException>(() => agent.MakeReadyAsync());
        }
    }
}
