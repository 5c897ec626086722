package io.gcclient

import io.gcclient.support.await
import io.gcclient.support.expect
import io.gcclient.support.withSim
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

@Timeout(60)
class SessionTest {
    @Test
    fun `login returns NOT_READY and fills the snapshot`() = withSim { _, client ->
        assertEquals(ConnectionStatus.IN_SERVICE, client.status)
        val alice = client.agent("1001")
        val reply = alice.login("1234", "5001")
        assertEquals(EventKind.AGENT_STATE, reply.kind)
        assertEquals("1001", reply.agent)
        assertEquals(AgentState.NOT_READY, reply.agentState)
        val snap = alice.snapshot
        assertEquals(AgentState.NOT_READY, snap.state)
        assertEquals("5001", snap.extension)
        assertEquals(listOf("1001"), client.agentIds)
        assertTrue(client.agent("1001") === alice, "one handle per agent id")
    }

    @Test
    fun `state changes are replies and arrive on the flow in order`() = withSim { _, client ->
        val alice = client.agent("1001")
        alice.login("1234", "5001")
        // GC answers Login with Agent Info, then sends the agent's state and
        // dialogs; they can still be on their way when login() returns. A
        // round trip behind them (GC answers in order) lets them in first,
        // so the subscription below sees only what comes after.
        alice.getState()
        val sub = alice.subscribe()
        assertEquals(AgentState.READY, alice.makeReady().agentState)
        val notReady = alice.makeNotReady("2")
        assertEquals(AgentState.NOT_READY, notReady.agentState)
        assertEquals("2", (notReady.data as EventData.AgentState).info.reasonCodeId)
        assertEquals(AgentState.NOT_READY, alice.getState().agentState)
        val states = withTimeout(10.seconds) {
            sub.notifications().map { it.event?.agentState }.filter { it != null }.take(2).toList()
        }
        assertEquals(listOf(AgentState.READY, AgentState.NOT_READY), states)
        sub.close()
        val loggedOut = alice.logout()
        assertEquals(AgentState.LOGOUT, loggedOut.agentState)
        assertEquals(AgentState.LOGOUT, alice.snapshot.state)
    }

    @Test
    fun `a listener runs in order on its own thread, outlives its exceptions and stops when closed`() =
        withSim { _, client ->
            val states = LinkedBlockingQueue<AgentState>()
            val threads = ConcurrentHashMap.newKeySet<String>()
            val registration = client.addListener({ n ->
                threads.add(Thread.currentThread().name)
                n.event?.agentState?.let { state ->
                    states.add(state)
                    if (state == AgentState.READY) throw IllegalStateException("logged, delivery goes on")
                }
            }, "1001")
            val alice = client.agent("1001")
            alice.login("1234", "5001")
            alice.makeReady()
            alice.makeNotReady("2")
            while (states.poll(10, TimeUnit.SECONDS) != AgentState.READY) Unit
            assertEquals(AgentState.NOT_READY, states.poll(10, TimeUnit.SECONDS), "delivered after the exception")
            assertEquals(1, threads.size, "one delivery thread: $threads")
            assertTrue(threads.single().startsWith("gcclient-events-"), "$threads")
            assertTrue(registration.isActive)
            registration.close()
            assertFalse(registration.isActive)
            alice.makeReady()
            assertTrue(states.isEmpty(), "nothing delivered after close: $states")
        }

    @Test
    fun `a cancelled wait loses no notification`() = withSim { _, client ->
        // The agent's own stream: GC's answers to the client's Hellos and
        // Beats are System events, which a client-wide one may get at any time.
        val alice = client.agent("1001")
        val sub = alice.subscribe()
        assertNull(sub.next(50.milliseconds), "nothing happened yet")
        alice.login("1234", "5001")
        assertEquals(AgentState.NOT_READY, sub.await { it.agentState != null }.agentState)
    }

    @Test
    fun `client flow sees status and events until close`() = withSim { sim, client ->
        val sub = client.subscribe()
        client.agent("1002").login("1234", "5002")
        val e = sub.await { it.agent == "1002" && it.agentState != null }
        assertEquals(AgentState.NOT_READY, e.agentState)
        client.shutdown()
        assertEquals(ConnectionStatus.CLOSED, client.status)
        // After close the stream drains and ends instead of hanging.
        withTimeout(10.seconds) { sub.notifications().toList() }
        expect<GcException.Closed> { sub.next() }
        sub.close()
        assertTrue(sim.agents().any { it.startsWith("1002") })
    }
}
