using System;
using System.Diagnostics;
using System.Text;
using GenericConnector;
using NUnit.Framework;

namespace GenericConnector.Tests
{
    /// <summary>
    /// Issue 24: the native library's records at its most detailed level
    /// reach <see cref="GcLogging.Source"/>, and neither the agent password
    /// nor the broker passcode is ever in them.
    /// </summary>
    [TestFixture]
    public class LoggingTests
    {
        private const string AgentPassword = "Agent-Pw-net-7f3a91";
        private const string BrokerPasscode = "Broker-Pc-net-55c2e0";

        private sealed class Capture : TraceListener
        {
            private readonly StringBuilder text = new StringBuilder();
            public override void Write(string message) { lock (text) text.Append(message); }
            public override void WriteLine(string message) { lock (text) text.Append(message).Append('\n'); }
            public string Text { get { lock (text) return text.ToString(); } }
        }

        [Test]
        public void TraceRecordsCarryCommandsButNoPassword()
        {
            var capture = new Capture();
            GcLogging.Source.Listeners.Add(capture);
            GcLogging.Source.Switch.Level = SourceLevels.All;
            GcLogging.Refresh();
            try
            {
                // The test broker takes any login: the passcode goes through CONNECT.
                var config = new GcConfig { Brokers = "tcp://gc:" + BrokerPasscode + "@" + TestEnv.Stomp, Queue = TestEnv.Queue };
                StringAssert.DoesNotContain(BrokerPasscode, config.ToString());
                using (var client = TestEnv.InService(config))
                {
                    var agent = client.Agent(TestEnv.AgentId());
                    TestEnv.Get(agent.LoginAsync(AgentPassword, "5001"));
                    var refused = TestEnv.Fails<GcException>(agent.LoginAsync(AgentPassword, "0000"));
                    StringAssert.DoesNotContain(AgentPassword, refused.ToString());
                }
            }
            finally
            {
                GcLogging.Source.Switch.Level = SourceLevels.Warning;
                GcLogging.Refresh();
                GcLogging.Source.Listeners.Remove(capture);
            }
            var logs = capture.Text;
            // The capture saw the commands that carried the password, and TRACE records.
            StringAssert.Contains("gcclient::command: sent login agent=", logs);
            StringAssert.Contains("gcclient::session::engine: event ", logs);
            StringAssert.DoesNotContain(AgentPassword, logs);
            StringAssert.DoesNotContain(BrokerPasscode, logs);
        }
    }
}
