using System;
using System.Diagnostics;
using System.Threading;
using GenericConnector;
using NUnit.Framework;

namespace GenericConnector.Tests
{
    /// <summary>
    /// Against gcclient-sim (GC + Finesse with a model of agents and calls),
    /// started by each test on a queue of its own and driven through its
    /// console. GCCLIENT_TEST_SIM is the path of the gcclient-sim binary.
    /// </summary>
    [TestFixture]
    public class SimulatorTests
    {
        private Process sim;
        private string queue;

        [SetUp]
        public void StartSimulator()
        {
            var bin = Environment.GetEnvironmentVariable("GCCLIENT_TEST_SIM");
            if (string.IsNullOrEmpty(bin)) Assert.Ignore("GCCLIENT_TEST_SIM (path of gcclient-sim) is not set");
            queue = "Connector1-dotnet-sim-" + Guid.NewGuid().ToString("N");
            var psi = new ProcessStartInfo(bin, "--broker tcp://" + TestEnv.Stomp + " --queue " + queue)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.EnvironmentVariables["RUST_LOG"] = "warn";
            var serving = new ManualResetEventSlim();
            sim = Process.Start(psi);
            sim.ErrorDataReceived += (s, e) => { if (e.Data != null && e.Data.Contains("serving queue")) serving.Set(); };
            sim.BeginErrorReadLine();
            Assert.IsTrue(serving.Wait(TestEnv.Wait), "gcclient-sim did not start");
        }

        [TearDown]
        public void StopSimulator()
        {
            if (sim == null) return;
            try
            {
                sim.StandardInput.WriteLine("quit");
                sim.StandardInput.Flush();
                if (!sim.WaitForExit(5000)) sim.Kill();
            }
            catch (InvalidOperationException) { }
            sim.Dispose();
        }

        /// <summary>Sends a console command that prints nothing.</summary>
        private void Control(string command)
        {
            sim.StandardInput.WriteLine(command);
            sim.StandardInput.Flush();
        }

        /// <summary>Sends a console command and returns its answer line.</summary>
        private string Ask(string command)
        {
            Control(command);
            var line = sim.StandardOutput.ReadLineAsync();
            Assert.IsTrue(line.Wait(TestEnv.Wait), "no answer to `" + command + "`");
            return line.Result;
        }

        private GcClient Connect()
        {
            var config = TestEnv.Config();
            config.Queue = queue;
            return TestEnv.InService(config);
        }

        [Test]
        public void LoginTakeACallHoldRetrieveRelease()
        {
            using (var client = Connect())
            {
                var agent = client.Agent("1001");
                var calls = new Inbox<CallUpdateEvent>();
                var newCalls = new Inbox<NewCallEvent>();
                agent.CallChanged += calls.Add;
                agent.NewCall += newCalls.Add;
                var states = new Inbox<AgentStateEvent>();

                // GC correlates AgentInfo (the first event the guide lists for Login);
                // the login completes with the State that follows it.
                var login = (AgentStateEvent)TestEnv.Get(agent.LoginAsync("1234", "5001"));
                Assert.AreEqual("1001", login.AgentId);
                Assert.AreEqual(AgentState.NotReady, login.State);
                Assert.AreEqual(AgentState.Ready, TestEnv.Get(agent.MakeReadyAsync()).State);
                agent.StateChanged += states.Add;

                var answer = Ask("offer 1001 5551234 callVariable1=VIP");
                StringAssert.StartsWith("dialog ", answer);
                var dialog = answer.Substring("dialog ".Length).Trim();

                var ring = newCalls.Next();
                Assert.AreEqual(dialog, ring.DialogId);
                Assert.AreEqual("5551234", ring.FromAddress);
                CollectionAssert.Contains(ring.CallVariables, "VIP");
                // The simulator rings as Finesse does: NewInboundCall and the agent RESERVED.
                Assert.AreEqual(AgentState.Reserved, states.Next(st => st.State != AgentState.Ready).State);

                Assert.AreEqual(CallState.Active, TestEnv.Get(agent.AnswerCallAsync(dialog)).State);
                Assert.AreEqual(AgentState.Talking, TestEnv.Get(agent.GetStateAsync()).State);
                Assert.AreEqual(CallState.Held, TestEnv.Get(agent.HoldCallAsync(dialog)).State);
                Assert.AreEqual(CallState.Active, TestEnv.Get(agent.RetrieveCallAsync(dialog)).State);
                var released = TestEnv.Get(agent.ReleaseCallAsync(dialog));
                Assert.AreEqual(dialog, released.DialogId);
                Assert.AreEqual(CallState.Dropped, released.State);
                Assert.AreEqual(CallState.Active, calls.Next(c => c.DialogId == dialog).State);
            }
        }

        [Test]
        public void ConsultUpdatesReachCallChanged()
        {
            using (var client = Connect())
            {
                var a = client.Agent("1004");
                // 1005 is the model's SSO agent (another password): GC now checks on Connect.
                var b = client.Agent("1003");
                var updates = new Inbox<CallUpdateEvent>();
                a.CallChanged += updates.Add;
                TestEnv.Get(a.LoginAsync("1234", "5004"));
                TestEnv.Get(b.LoginAsync("1234", "5003"));
                TestEnv.Get(a.MakeReadyAsync());
                TestEnv.Get(b.MakeReadyAsync());
                var dialog = Ask("offer 1004 5551234").Substring("dialog ".Length).Trim();
                var active = TestEnv.Get(a.AnswerCallAsync(dialog));
                Assert.AreEqual(CallState.Active, active.State);
                Assert.IsNotNull(active.StartTime, "a call's start time is a DateTimeOffset");
                TestEnv.Get(a.ConsultCallAsync("5003", dialog));
                var consult = updates.Next(u => u is ConsultCallEvent);
                Assert.AreEqual(GcEventKind.ConsultCall, consult.Kind);
                Assert.AreNotEqual(CallState.None, consult.State, consult.Json);
                Assert.IsNotNull(consult.DialogId, consult.Json);
            }
        }

        [Test]
        public void NotReadyReasonCodesAndUnknownAgent()
        {
            using (var client = Connect())
            {
                var agent = client.Agent("1002");
                TestEnv.Get(agent.LoginAsync("1234", "5002"));
                var codes = TestEnv.Get(agent.CommandAsync("get_not_ready_reason_codes", null)) as ReasonCodesEvent;
                Assert.IsNotNull(codes, "expected a ReasonCodes reply");
                Assert.Greater(codes.Codes.Count, 0);
                var code = codes.Codes[0].Code;
                var notReady = TestEnv.Get(agent.MakeNotReadyAsync(code));
                Assert.AreEqual(AgentState.NotReady, notReady.State);
                Assert.AreEqual(code, notReady.ReasonCodeId);

                // GC answers a command for an agent it has no session for
                // with RE_LOGIN: an error, never a success.
                var unknown = client.Agent("1003");
                var lost = TestEnv.Fails<GcException>(unknown.GetStateAsync());
                Assert.AreEqual(GcErrorCode.SessionLost, lost.ErrorCode);
                StringAssert.Contains("not carried out", lost.Message);

                var stranger = client.Agent("4242");
                var e = TestEnv.Fails<GcException>(stranger.LoginAsync("nope", "5999"));
                Assert.AreEqual(GcErrorCode.Gc, e.ErrorCode);
                Assert.IsNotNull(e.GcCode);
            }
        }

        [Test]
        public void FinesseOutageIsVisibleAsStatusEvents()
        {
            using (var client = Connect())
            {
                var statuses = new Inbox<StatusEvent>();
                client.StatusChanged += statuses.Add;
                Control("down");
                statuses.Next(s => s.Status == GcConnectionStatus.OutOfService);
                var agent = client.Agent("1003");
                Assert.AreEqual(GcErrorCode.GcOutOfService, TestEnv.Fails<GcException>(agent.MakeReadyAsync()).ErrorCode);
                Control("up");
                statuses.Next(s => s.Status == GcConnectionStatus.InService);
                var after = new Inbox<AgentStateEvent>();
                agent.StateChanged += after.Add;
                TestEnv.Get(agent.LoginAsync("1234", "5003"));
                after.Next(s => s.State == AgentState.NotReady);
            }
        }
    }
}
