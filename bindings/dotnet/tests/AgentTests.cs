using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using GenericConnector;
using NUnit.Framework;

namespace GenericConnector.Tests
{
    [TestFixture]
    public class AgentTests
    {
        private GcClient client;

        [SetUp]
        public void Connect() { client = TestEnv.InService(); }

        [TearDown]
        public void Close() { client.Dispose(); }

        [Test]
        public void LoginRepliesWithTypedStateAndRaisesStateChanged()
        {
            var agent = client.Agent(TestEnv.AgentId());
            Assert.AreSame(agent, client.Agent(agent.Id));
            Assert.AreEqual(AgentState.None, agent.CachedState);
            var states = new Inbox<AgentStateEvent>();
            agent.StateChanged += states.Add;

            // The scripted peer answers Login with the State.
            var reply = (AgentStateEvent)TestEnv.Get(agent.LoginAsync("secret", "5001"));

            Assert.AreEqual(AgentState.NotReady, reply.State);
            Assert.AreEqual(GcEventKind.AgentState, reply.Kind);
            Assert.AreEqual("agent_state", reply.KindName);
            Assert.AreEqual(agent.Id, reply.AgentId);
            Assert.AreEqual("-1", reply.ReasonCodeId);
            Assert.AreEqual("5" + agent.Id, reply.Extension);
            StringAssert.StartsWith(agent.Id + "#State#NOT_READY#", reply.Raw);
            Assert.AreEqual(AgentState.NotReady, states.Next().State);
            Assert.AreEqual(AgentState.NotReady, agent.CachedState);
            StringAssert.Contains("NOT_READY", agent.SnapshotJson);
        }

        [Test]
        public void AContinuationMayWaitForAnotherCommand()
        {
            // Continuations run in the library's completion callback (issue
            // 23: no hop to the thread pool). One that blocks until a second
            // command completes must not be waiting for its own thread.
            var agent = client.Agent(TestEnv.AgentId());
            var outcome = agent.GetStateAsync().ContinueWith(first =>
            {
                var second = agent.GetStateAsync();
                return first.Result.State == AgentState.NotReady && second.Wait(TestEnv.Wait)
                    && second.Result.State == AgentState.NotReady;
            }, TaskContinuationOptions.ExecuteSynchronously);
            Assert.IsTrue(TestEnv.Get(outcome), "the second command did not complete while the first one's continuation waited for it");
        }

        [Test]
        public void AnAgentsEventsReachItWithoutTheirJsonBeingParsed()
        {
            var agent = client.Agent(TestEnv.AgentId());
            var events = new Inbox<GcEvent>();
            agent.EventReceived += events.Add;
            var systemEvents = new Inbox<SystemEvent>();
            client.EventReceived += (s, ev) => { var sys = ev as SystemEvent; if (sys != null) systemEvents.Add(s, sys); };

            TestEnv.Get(agent.LoginAsync("secret", "5001"));
            var e = events.Next();
            var system = systemEvents.Next(); // GC's answer to a Beat

            // Routing to the agent took its id from the native event: the
            // JSON is parsed only when a handler reads a field.
            var fields = typeof(GcEvent).GetField("fields", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
            Assert.IsNotNull(fields, "GcEvent keeps its parsed fields in `fields`");
            Assert.IsNull(fields.GetValue(e), "the event's JSON was parsed before a handler read a field");
            Assert.AreEqual(agent.Id, e.AgentId);
            Assert.AreEqual(agent.Id, e.GetString("agent"));
            Assert.IsNotNull(fields.GetValue(e));

            Assert.IsNull(system.AgentId);
            Assert.IsNull(fields.GetValue(system), "a system-wide event's JSON was parsed to find it has no agent");
            Assert.IsNull(system.GetString("agent"));
        }

        [Test]
        public void GcRefusalIsAGcExceptionCarryingTheErrorEvent()
        {
            var agent = client.Agent(TestEnv.AgentId());
            var e = TestEnv.Fails<GcException>(agent.LoginAsync("secret", "0000"));
            Assert.AreEqual(GcErrorCode.Gc, e.ErrorCode);
            Assert.AreEqual("WRONG_EXTENSION", e.GcCode);
            Assert.AreEqual(GcEventKind.Error, e.Error.Kind);
            CollectionAssert.AreEqual(new[] { "bad extension" }, e.Error.Details);
            StringAssert.Contains("WRONG_EXTENSION", e.Message);
            StringAssert.DoesNotContain("secret", e.Message);
        }

        [Test]
        public void BadArgumentsAreRefusedBeforeSending()
        {
            var agent = client.Agent(TestEnv.AgentId());
            Assert.AreEqual(GcErrorCode.InvalidArgument, TestEnv.Fails<GcException>(agent.MakeCallAsync("555,1234")).ErrorCode);
            Assert.AreEqual(GcErrorCode.InvalidArgument, TestEnv.Fails<GcException>(agent.AnswerCallAsync("D1,x")).ErrorCode);
            Assert.AreEqual(GcErrorCode.InvalidArgument, Assert.Throws<GcException>(() => client.Agent("10#01")).ErrorCode);
            Assert.AreEqual(GcErrorCode.UnknownCommand, TestEnv.Fails<GcException>(agent.CommandAsync("fly_to_the_moon", null)).ErrorCode);
            Assert.Throws<ArgumentException>(() => agent.MakeCallAsync("5551\0234"));
            Assert.Throws<ArgumentNullException>(() => agent.LoginAsync(null, "5001"));
        }

        [Test]
        public void Utf8TravelsBothWays()
        {
            var agent = client.Agent(TestEnv.AgentId());
            TestEnv.Get(agent.LoginAsync("secret", "5001"));
            // The peer echoes the reason into the State event.
            var reply = TestEnv.Get(agent.MakeNotReadyAsync("Zoë Ünal Łódź 東京"));
            Assert.AreEqual(AgentState.NotReady, reply.State);
            Assert.AreEqual("Zoë Ünal Łódź 東京", reply.ReasonCodeId);
            StringAssert.Contains("Łódź", reply.Raw);
        }

        [Test]
        public void InboundCallFlow()
        {
            var agent = client.Agent(TestEnv.AgentId());
            var newCalls = new Inbox<NewCallEvent>();
            var calls = new Inbox<CallUpdateEvent>();
            agent.NewCall += newCalls.Add;
            agent.CallChanged += calls.Add;

            TestEnv.Get(agent.LoginAsync("secret", "5001"));
            Assert.AreEqual(AgentState.Ready, TestEnv.Get(agent.MakeReadyAsync()).State);

            var ring = newCalls.Next();
            StringAssert.StartsWith("D", ring.DialogId);
            Assert.AreEqual("5551234", ring.FromAddress);
            CollectionAssert.AreEqual(new[] { "VIP", "42" }, ring.CallVariables);
            Assert.IsFalse(ring.IsOutboundPreview);
            var alerting = calls.Next();
            Assert.AreEqual(CallState.Alerting, alerting.State);
            Assert.AreEqual("ALERTING", alerting.StateName);
            Assert.AreEqual(ring.DialogId, alerting.DialogId);

            var active = TestEnv.Get(agent.AnswerCallAsync(ring.DialogId));
            Assert.AreEqual(CallState.Active, active.State);
            Assert.AreEqual(ring.DialogId, active.DialogId);
            var dropped = TestEnv.Get(agent.ReleaseCallAsync(ring.DialogId));
            Assert.AreEqual(CallState.Dropped, dropped.State);
            Assert.AreEqual(AgentState.Logout, TestEnv.Get(agent.LogoutAsync()).State);
        }

        [Test]
        public void TimeoutAndCancellationWhileGcIsBusy()
        {
            var busy = client.Agent(TestEnv.AgentId());
            var agent = client.Agent(TestEnv.AgentId());
            var firstBurstEvent = new ManualResetEventSlim();
            busy.EventReceived += (s, ev) => { if (ev.Kind == GcEventKind.PrintStatusBar) firstBurstEvent.Set(); };
            // The peer answers one command at a time: while it sends this
            // burst, nothing else is answered.
            TestEnv.Get(busy.MakeCallAsync("burst-20000"));
            Assert.IsTrue(firstBurstEvent.Wait(TestEnv.Wait));

            var e = TestEnv.Fails<GcException>(agent.CommandAsync("get_state", null, TimeSpan.FromMilliseconds(200)));
            Assert.AreEqual(GcErrorCode.Timeout, e.ErrorCode);

            agent.CommandTimeout = TimeSpan.FromMilliseconds(200);
            Assert.AreEqual(GcErrorCode.Timeout, TestEnv.Fails<GcException>(agent.GetStateAsync()).ErrorCode);
            agent.CommandTimeout = null;

            var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            var cancelled = agent.GetStateAsync(cts.Token);
            TestEnv.Fails<TaskCanceledException>(cancelled);
            Assert.IsTrue(cancelled.IsCanceled);

            var pre = new CancellationTokenSource();
            pre.Cancel();
            Assert.IsTrue(agent.MakeReadyAsync(pre.Token).IsCanceled);
        }

        [Test]
        public void HandlerExceptionsAreReportedAndDeliveryGoesOn()
        {
            var agent = client.Agent(TestEnv.AgentId());
            var failures = new Inbox<HandlerExceptionEventArgs>();
            var states = new Inbox<AgentStateEvent>();
            client.HandlerFailed += failures.Add;
            agent.StateChanged += (s, e) => { throw new InvalidOperationException("handler bug " + e.State); };
            agent.StateChanged += states.Add;

            TestEnv.Get(agent.LoginAsync("secret", "5001"));
            var f = failures.Next();
            Assert.IsInstanceOf<InvalidOperationException>(f.Exception);
            StringAssert.Contains("NOT_READY", f.Event.Json);
            TestEnv.Get(agent.MakeReadyAsync());
            // The next handler and later events still get them.
            Assert.AreEqual(AgentState.NotReady, states.Next().State);
            Assert.AreEqual(AgentState.Ready, states.Next().State);
            failures.Next(x => ((AgentStateEvent)x.Event).State == AgentState.Ready);
            Assert.AreEqual(0, client.CallbackFailures);
        }

        [Test]
        public void CommandsFromAnEventHandlerWork()
        {
            // A desktop answering the call from its NewCall handler: the
            // command blocks the dispatcher until the reply, events queue up.
            var agent = client.Agent(TestEnv.AgentId());
            var answered = new Inbox<CallEvent>();
            agent.NewCall += (s, call) => answered.Add(s, agent.AnswerCallAsync(call.DialogId).Result);
            TestEnv.Get(agent.LoginAsync("secret", "5001"));
            TestEnv.Get(agent.MakeReadyAsync());
            Assert.AreEqual(CallState.Active, answered.Next().State);
        }
    }
}
