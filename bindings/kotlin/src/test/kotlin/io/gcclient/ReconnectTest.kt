package io.gcclient

import io.gcclient.support.Sim
import io.gcclient.support.TcpProxy
import io.gcclient.support.TestEnv
import io.gcclient.support.await
import io.gcclient.support.withSim
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import kotlin.time.Duration.Companion.seconds

@Timeout(60)
class ReconnectTest {
    /** Waits on [sub] for the status [status]. */
    private suspend fun EventSubscription.awaitStatus(status: ConnectionStatus): Notification.Status =
        withTimeout(15.seconds) {
            var found: Notification.Status? = null
            while (found == null) found = (next() as? Notification.Status)?.takeIf { it.status == status }
            found
        }

    @Test
    fun `a dropped connection is reconnected, visibly, and agents log in again`() = runBlocking<Unit> {
        Sim.start().use { sim ->
            TcpProxy(TestEnv.stomp).use { proxy ->
                TestEnv.client(sim, broker = "tcp://${proxy.address}").use { client ->
                    val alice = client.agent("1001")
                    alice.login("1234", "5001")
                    alice.makeReady()
                    val sub = client.subscribe()

                    val cut = proxy.cutAll()
                    assertEquals(1, cut, "the client's connection went through the proxy: cut $cut, accepted ${proxy.accepted.get()}")
                    val lost = sub.awaitStatus(ConnectionStatus.RECONNECTING)
                    assertTrue(lost.detail != null, "the reason is given")
                    sub.awaitStatus(ConnectionStatus.IN_SERVICE)
                    val relogin = withTimeout(15.seconds) {
                        var r: Notification.Relogin? = null
                        while (r == null) r = sub.next() as? Notification.Relogin
                        r
                    }
                    assertEquals("1001", relogin.agent)
                    assertNull(relogin.error, "re-login succeeded")
                    assertTrue(proxy.accepted.get() >= 2, "a new connection was made")

                    assertEquals(ConnectionStatus.IN_SERVICE, client.status)
                    assertEquals(AgentState.NOT_READY, alice.makeNotReady("1").agentState)
                    sub.close()
                }
            }
        }
    }

    @Test
    fun `GC restarting makes the client log its agents in again`() = withSim { sim, client ->
        val alice = client.agent("1001")
        alice.login("1234", "5001")
        val sub = client.subscribe()
        sim.restart()
        val relogin = withTimeout(15.seconds) {
            var r: Notification.Relogin? = null
            while (r == null) r = sub.next() as? Notification.Relogin
            r
        }
        assertEquals("1001", relogin.agent)
        assertNull(relogin.error)
        assertTrue(sim.agents().any { it.startsWith("1001") && client.destination in it }, "GC knows the agent again")
        assertEquals(AgentState.READY, alice.makeReady().agentState)
        sub.await { it.agentState == AgentState.READY }
    }
}
