using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using GenericConnector;
using NUnit.Framework;

namespace GenericConnector.Tests
{
    /// <summary>What the Framework Design Guidelines ask of a library a USD team ships.</summary>
    [TestFixture]
    public class DesignTests
    {
        private static readonly Assembly Library = typeof(GcClient).Assembly;

        [Test]
        public void TheAssemblyCarriesThePackageVersionAndTargetFramework()
        {
            var info = Library.GetCustomAttribute<AssemblyInformationalVersionAttribute>();
            Assert.IsNotNull(info);
            Assert.AreEqual(GcClient.NativeVersion, info.InformationalVersion, "managed and native versions agree");
            Assert.AreNotEqual(new Version(0, 0, 0, 0), Library.GetName().Version);
            StringAssert.StartsWith(info.InformationalVersion.Split('-')[0], Library.GetName().Version.ToString());
            var tfm = Library.GetCustomAttribute<TargetFrameworkAttribute>();
            Assert.IsNotNull(tfm);
            StringAssert.StartsWith(".NETFramework,Version=v4.6.2", tfm.FrameworkName);
            var cls = Library.GetCustomAttribute<CLSCompliantAttribute>();
            Assert.IsTrue(cls != null && cls.IsCompliant);
            var debuggable = Library.GetCustomAttribute<DebuggableAttribute>();
            Assert.IsTrue(debuggable == null || !debuggable.IsJITOptimizerDisabled, "built optimised");
        }

        [Test]
        public void NoTwoPublicNamesDifferOnlyByCase()
        {
            foreach (var type in Library.GetExportedTypes())
            {
                var names = type.IsEnum
                    ? Enum.GetNames(type)
                    : type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                        .Where(m => !(m is ConstructorInfo)).Select(m => m.Name).Distinct().ToArray();
                var clash = names.GroupBy(n => n.ToUpperInvariant()).FirstOrDefault(g => g.Count() > 1);
                Assert.IsNull(clash, type.Name + ": " + (clash == null ? "" : string.Join(" / ", clash)));
            }
        }

        [Test]
        public void GcExceptionHasTheStandardConstructors()
        {
            var inner = new InvalidOperationException("cause");
            Assert.AreSame(inner, new GcException("outer", inner).InnerException);
            Assert.AreSame(inner, new GcException(GcErrorCode.Transport, "outer", inner).InnerException);
            Assert.AreEqual(GcErrorCode.Transport, new GcException(GcErrorCode.Transport, "outer", inner).ErrorCode);
            Assert.AreEqual("m", new GcException("m").Message);
            Assert.IsNotNull(new GcException().Message);
            Assert.IsNotNull(typeof(GcException).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, null,
                new[] { typeof(System.Runtime.Serialization.SerializationInfo), typeof(System.Runtime.Serialization.StreamingContext) }, null));
        }

        [Test]
        public void TimesAreDateTimeOffsets()
        {
            using (var client = TestEnv.InService())
            {
                var state = (AgentStateEvent)TestEnv.Get(client.Agent(TestEnv.AgentId()).LoginAsync("secret", "5001"));
                // The scripted peer sends 1735725600000 ms: 2025-01-01 10:00:00 UTC.
                Assert.AreEqual(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero), state.StateChangeTime);
                Assert.AreEqual("1735725600000", state.StateChangeTimeText);
            }
        }

        [Test]
        public void BadArgumentsNameTheCallersParameter()
        {
            Assert.AreEqual("value", Assert.Throws<ArgumentOutOfRangeException>(() => new GcConfig { EventBuffer = -1 }).ParamName);
            Assert.AreEqual("value", Assert.Throws<ArgumentOutOfRangeException>(() => new GcConfig { EventBuffer = 0 }).ParamName);
            using (var client = TestEnv.InService())
            {
                var agent = client.Agent(TestEnv.AgentId());
                Assert.AreEqual("dialogId", Assert.Throws<ArgumentNullException>(() => agent.AnswerCallAsync(null)).ParamName);
                Assert.AreEqual("extension", Assert.Throws<ArgumentNullException>(() => agent.TransferCallAsync(null, "D1")).ParamName);
                Assert.AreEqual("number", Assert.Throws<ArgumentNullException>(() => agent.MakeCallAsync(null)).ParamName);
                Assert.AreEqual("command", Assert.Throws<ArgumentNullException>(() => agent.CommandAsync(null, new string[0])).ParamName);
                Assert.AreEqual("agentId", Assert.Throws<ArgumentNullException>(() => client.Agent(null)).ParamName);
            }
        }
    }
}
