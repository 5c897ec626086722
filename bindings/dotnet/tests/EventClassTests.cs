using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using GenericConnector;
using NUnit.Framework;

namespace GenericConnector.Tests
{
    /// <summary>The typed event classes generated from the event table.</summary>
    [TestFixture]
    public class EventClassTests
    {
        private static GcEvent Create(GcEventKind kind, string json)
        {
            var create = typeof(GcEvent).GetMethod("Create", BindingFlags.NonPublic | BindingFlags.Static);
            Assert.IsNotNull(create, "GcEvent.Create");
            return (GcEvent)create.Invoke(null, new object[] { kind, json });
        }

        [Test]
        public void EveryKindFromGcHasATypedClass()
        {
            foreach (GcEventKind kind in Enum.GetValues(typeof(GcEventKind)))
            {
                // The client's own notifications are numbered from 100.
                if ((int)kind >= 100) continue;
                var e = Create(kind, "{\"type\":\"x\"}");
                Assert.AreNotEqual(typeof(GcEvent), e.GetType(), "no typed class for " + kind);
                Assert.AreEqual(kind, e.Kind);
            }
        }

        [Test]
        public void GeneratedPropertiesReadTextFlagsNumbersAndLists()
        {
            var info = (AgentInfoEvent)Create(GcEventKind.AgentInfo,
                "{\"agent\":\"2001\",\"type\":\"agent_info\",\"first_name\":\"Anna\",\"is_supervisor\":true," +
                "\"total_teams\":2,\"teams\":[{\"id\":\"3\",\"name\":\"Sales\"}]}");
            Assert.AreEqual("Anna", info.FirstName);
            Assert.IsTrue(info.IsSupervisor);
            Assert.AreEqual(2L, info.TotalTeams);
            Assert.IsNull(info.LastName, "an absent field reads as null");
            Assert.AreEqual("Sales", info.GetString("teams.0.name"), "records stay reachable by path");

            var call = (CallEvent)Create(GcEventKind.InboundCall,
                "{\"type\":\"inbound_call\",\"state\":\"ACTIVE\",\"dialog_id\":\"d1\",\"call_variables\":[\"a\",\"b\"]," +
                "\"participants_count\":null,\"participants\":[]}");
            CollectionAssert.AreEqual(new[] { "a", "b" }, call.CallVariables.ToArray());
            Assert.IsNull(call.ParticipantsCount);
            Assert.AreEqual(0, call.Participants.Count);
            Assert.AreEqual(CallState.Active, call.State, "the hand-written part still reads the state");
            Assert.AreEqual("d1", call.DialogId);
        }

        [Test]
        public void KindsThatShareAClassAndCallUpdatesKeepTheirTypes()
        {
            Assert.IsInstanceOf<NewCallEvent>(Create(GcEventKind.NewInboundCall, "{}"));
            Assert.IsTrue(((NewCallEvent)Create(GcEventKind.NewOutboundPreviewCall, "{}")).IsOutboundPreview);
            Assert.IsInstanceOf<CallUpdateEvent>(Create(GcEventKind.DialogState, "{}"));
            Assert.IsInstanceOf<CallUpdateEvent>(Create(GcEventKind.ConsultCall, "{}"));
            Assert.IsInstanceOf<StatusEvent>(Create(GcEventKind.Status, "{}"));
        }
    }
}
