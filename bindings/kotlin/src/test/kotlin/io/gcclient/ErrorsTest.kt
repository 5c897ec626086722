package io.gcclient

import io.gcclient.support.TestEnv
import io.gcclient.support.await
import io.gcclient.support.expect
import io.gcclient.support.withSim
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.assertThrows
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

@Timeout(60)
class ErrorsTest {
    private suspend fun gcCode(call: suspend () -> Event): ErrorCode {
        return expect<GcException.Gc> { call() }.error.code
    }

    @Test
    fun `GC errors arrive as GcException_Gc with a typed code`() = withSim { _, client ->
        val alice = client.agent("1001")
        assertEquals(ErrorCode.SUBSCRIPTION_FAILED, gcCode { alice.login("wrong", "5001") })
        assertEquals(ErrorCode.WRONG_EXTENSION, gcCode { alice.login("1234", "50a1") })
        assertEquals(ErrorCode.USER_NOT_FOUND, gcCode { client.agent("7777").login("1234", "5001") })
        alice.login("1234", "5001")
        alice.makeReady()
        val err = expect<GcException.Gc> { alice.makeReady() }
        assertEquals(ErrorCode.CF_INVALID_OBJECT_STATE, err.error.code)
        assertEquals("1001", err.agent)
        assertEquals(EventKind.ERROR, err.event.kind)
        assertTrue(err.message!!.isNotBlank())
        assertEquals(ErrorCode.E_CTI_INVALID_CALL_ID, gcCode { alice.answer("123") })
        assertEquals(ErrorCode.PLEASE_RETRY, gcCode { alice.makeNotReady("99") })
    }

    @Test
    fun `a RE_LOGIN answer is GcException_SessionLost, never a success`() = withSim { _, client ->
        // GC answers any command for an agent it has no session for with RE_LOGIN.
        val stranger = client.agent("1003")
        val err = expect<GcException.SessionLost> { stranger.getState() }
        assertEquals("1003", err.agent)
        assertEquals("get_state", err.command)
        assertTrue(err.message!!.contains("not carried out"), err.message)
    }

    @Test
    fun `bad arguments are refused before anything is sent`() = withSim { _, client ->
        val e = expect<GcException.InvalidArgument> { client.agent("1001").login("12,34", "5001") }
        assertEquals("password", e.argument)
        assertTrue("12,34" !in e.message!!, "the password is not echoed: ${e.message!!}")
        expect<GcException.InvalidArgument> { client.agent("1001").answer("") }
    }

    @Test
    fun `a bad config names the setting`() {
        val e = assertThrows<GcException.Config> { GcConfig.builder("nonsense://host:1").build() }
        assertTrue(e.message!!.isNotBlank())
        val zero = assertThrows<GcException.Config> { GcConfig.builder("tcp://127.0.0.1:61613").eventBuffer(0).build() }
        assertTrue(zero.message!!.contains("event_buffer") && zero.message!!.contains("1..="), zero.message)
        val negative = assertThrows<GcException.Config> {
            GcConfig.builder("tcp://127.0.0.1:61613").requestTimeout(java.time.Duration.ofMillis(-5)).build()
        }
        assertTrue(negative.message!!.contains("request_timeout_ms"), negative.message)
    }

    /** Issue 24: a client started before its broker returns at once and keeps trying. */
    @Test
    fun `start returns at once and keeps trying the broker`() {
        val began = System.nanoTime()
        val client = GcClient.start(
            GcConfig.builder("tcp://127.0.0.1:1").connectTimeout(java.time.Duration.ofMillis(100)).build(),
        )
        client.use {
            assertTrue(System.nanoTime() - began < 1_000_000_000L, "start waited for the broker")
            val status = it.status
            assertTrue(status == ConnectionStatus.CONNECTING || status == ConnectionStatus.RECONNECTING, "$status")
        }
        assertEquals(ConnectionStatus.CLOSED, client.status)
    }

    /** Issue 24: absurd settings are Config errors naming the setting and its range. */
    @Test
    fun `absurd settings are config errors and URL passwords stay secret`() {
        fun base() = GcConfig.builder("tcp://127.0.0.1:1")
        val cases: List<Pair<String, () -> GcConfig>> = listOf(
            "backoff_max_ms" to { base().backoffMax(java.time.Duration.ZERO).build() },
            "command_ttl_ms" to { base().commandTtl(java.time.Duration.ofMillis(Long.MAX_VALUE)).build() },
            "connect_timeout_ms" to { base().connectTimeout(java.time.Duration.ZERO).build() },
            "event_buffer" to { base().eventBuffer(Int.MAX_VALUE).build() },
        )
        for ((name, build) in cases) {
            val e = assertThrows<GcException.Config> { build() }
            val message = e.message ?: ""
            assertTrue(name in message && "..=" in message, message)
        }
        val url = assertThrows<GcException.Config> {
            GcConfig.builder("tcp://u:Kt-Url-Pw-77@127.0.0.1:0").build()
        }
        assertTrue("Kt-Url-Pw-77" !in (url.message ?: ""), url.message)
    }

    @Test
    fun `no GC on the queue - NotInService`() = runBlocking<Unit> {
        GcClient.connect(TestEnv.config(TestEnv.uniqueName("nobody")).build()).use { client ->
            val e = expect<GcException.NotInService> { client.awaitInService(300.milliseconds) }
            assertEquals(ConnectionStatus.WAITING_FOR_GC, e.status)
            expect<GcException.NotInService> { client.agent("1001").login("1234", "5001") }
        }
    }

    @Test
    fun `no broker - BrokerUnreachable`() = runBlocking<Unit> {
        val config = TestEnv.config("Connector1", broker = "tcp://127.0.0.1:1").connectTimeout(java.time.Duration.ofMillis(500)).build()
        val e = expect<GcException.BrokerUnreachable> { GcClient.connect(config) }
        assertTrue(e.lastError.isNotBlank())
    }

    @Test
    fun `Finesse out of service - GcOutOfService, then back`() = withSim { sim, client ->
        val alice = client.agent("1001")
        alice.login("1234", "5001")
        val sub = client.subscribe()
        sim.down()
        client.awaitStatus(ConnectionStatus.OUT_OF_SERVICE, 10.seconds)
        expect<GcException.GcOutOfService> { alice.makeReady() }
        sim.up()
        client.awaitInService(10.seconds)
        sub.await { (it.data as? EventData.System)?.status == SystemStatus.IN_SERVICE }
        assertEquals(AgentState.READY, alice.makeReady().agentState)
    }
}
