package io.gcclient

import io.gcclient.support.await
import io.gcclient.support.withSim
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class SupervisorTest {
    @Test
    fun `a supervisor lists the team and follows its state changes`() = withSim(notUsingEvents = true) { _, client ->
        val sup = client.agent("2001")
        val alice = client.agent("1001")
        sup.login("1234", "6001")
        alice.login("1234", "5001")

        val team = sup.getTeamUsers("1", subscribe = true).data as EventData.TeamUsersList
        assertTrue(team.users.any { it.loginId == "1001" && it.state == AgentState.NOT_READY }, "$team")

        val supEvents = sup.subscribe()
        alice.makeReady()
        val changed = supEvents.await { e ->
            (e.data as? EventData.TeamMemberStateChanged)?.state == "READY"
        }
        assertEquals("2001", changed.agent)
    }

    @Test
    fun `queues, agents and reason codes`() = withSim { _, client ->
        val sup = client.agent("2001")
        sup.login("1234", "6001")
        client.agent("1003").login("1234", "5003")

        val queues = sup.getQueueList().data as EventData.QueueList
        assertEquals(QueueFlavor.UCCE, queues.flavor)
        assertEquals(setOf("Sales", "Support"), queues.queues.map { it.name }.toSet())
        assertTrue(queues.queues.all { it.stats.isNotEmpty() }, "every queue has statistics")

        val agents = sup.getAllAgents().data as EventData.AgentsList
        assertTrue(agents.agents.map { it.loginId }.containsAll(listOf("2001", "1003")), "$agents")

        val reasons = sup.getNotReadyReasonCodes().data as EventData.ReasonCodes
        assertEquals(ReasonCategory.NOT_READY, reasons.category)
        assertTrue(reasons.codes.any { it.code == "1" && it.label == "Break" }, "$reasons")
        assertEquals(reasons.codes, sup.snapshot.notReadyReasons, "the snapshot keeps the codes")
    }
}
