package io.gcclient

import io.gcclient.support.await
import io.gcclient.support.isOffer
import io.gcclient.support.withSim
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.mapNotNull
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

@Timeout(60)
class ManyAgentsTest {
    private val agents = mapOf("1001" to "5001", "1002" to "5002", "1003" to "5003", "1004" to "5004", "2001" to "6001")

    @Test
    fun `five agents log in concurrently on one client and their events stay apart`() = withSim { sim, client ->
        val all = client.subscribe()
        val bobOnly = client.agent("1002").subscribe()

        val replies = agents.map { (id, ext) -> async { client.agent(id).login("1234", ext) } }.awaitAll()
        assertEquals(agents.keys.toList(), replies.map { it.agent })
        assertTrue(replies.all { it.agentState == AgentState.NOT_READY }, "$replies")
        assertEquals(agents.keys.sorted(), client.agentIds)

        // The client-wide stream carries every agent's state event.
        val seen = withTimeout(10.seconds) {
            all.notifications().mapNotNull { it.event }.filter { it.agentState != null }
                .mapNotNull { it.agent }.take(agents.size).toList()
        }
        assertEquals(agents.keys, seen.toSet())

        // Per-agent streams carry only their agent.
        agents.keys.map { id -> async { client.agent(id).makeReady() } }.awaitAll()
        val dialog = sim.offer("1002", "5559999", mapOf("callVariable1" to "bob"))
        val offer = bobOnly.await { isOffer(it, dialog) }
        assertEquals("1002", offer.agent)
        val bobsAgents = withTimeout(1.seconds) {
            buildSet { while (true) add(bobOnly.next(100.milliseconds)?.event?.agent ?: break) }
        }
        assertTrue(bobsAgents.all { it == "1002" }, "only 1002 on its stream: $bobsAgents")
        assertEquals(AgentState.RESERVED, client.agent("1002").snapshot.state)
        assertEquals(AgentState.READY, client.agent("1001").snapshot.state)
    }
}

