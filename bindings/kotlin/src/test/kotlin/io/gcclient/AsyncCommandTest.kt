package io.gcclient

import io.gcclient.support.expect
import io.gcclient.support.withSilentGc
import io.gcclient.support.withSim
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.assertThrows
import java.util.concurrent.CancellationException
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * The suspending and future commands: replies reach their own callers,
 * cancelling drops the pending request, close fails what is pending with
 * Closed.
 */
@Timeout(60)
class AsyncCommandTest {
    /**
     * The pending count once a cancel has taken effect (the request is
     * dropped soon after, on a library thread, when the task is aborted).
     */
    private suspend fun pendingAfterCancel(client: GcClient): Long {
        withTimeoutOrNull(5.seconds) { while (client.pendingRequests != 0L) delay(5) }
        return client.pendingRequests
    }

    @Test
    fun `many commands in flight on one client each get their own reply`() = withSim { _, client ->
        val agents = mapOf("1001" to "5001", "1002" to "5002", "1003" to "5003", "1004" to "5004", "2001" to "6001")
        agents.map { (id, ext) -> async { client.agent(id).login("1234", ext) } }.awaitAll()
        // Half READY, half NOT_READY: a reply carries its agent and state.
        val ready = agents.keys.filterIndexed { i, _ -> i % 2 == 0 }.toSet()
        ready.map { async { client.agent(it).makeReady() } }.awaitAll()
        val expected = agents.keys.associateWith { if (it in ready) AgentState.READY else AgentState.NOT_READY }

        val threads = java.util.concurrent.ConcurrentHashMap.newKeySet<String>()
        val calls = agents.keys.flatMap { id ->
            val agent = client.agent(id)
            List(12) { i ->
                if (i % 2 == 0) {
                    async(Dispatchers.Default) { id to agent.getState() }
                } else {
                    val f = agent.async().getState().thenApply { threads.add(Thread.currentThread().name); id to it }
                    async { f.await() }
                }
            }
        }
        val replies = calls.awaitAll()
        assertEquals(60, replies.size)
        for ((id, reply) in replies) {
            assertEquals(id, reply.agent, "the reply of $id's command")
            assertEquals(expected[id], reply.agentState, "$id's state")
        }
        assertFalse(threads.any { it.startsWith("gcclient-") }, "futures completed on a library thread: $threads")
        assertEquals(0L, client.pendingRequests)
    }

    @Test
    fun `a cancelled suspend command or future drops its pending request and the client goes on`() = runBlocking<Unit> {
        withSilentGc { gc, config ->
            GcClient.connect(config).use { client ->
                client.awaitInService()
                val agent = client.agent("1001")

                val job = launch(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) { agent.getState() }
                assertEquals("GetState#1001", gc.nextCommand())
                assertEquals(1L, client.pendingRequests)
                job.cancelAndJoin()
                assertEquals(0L, pendingAfterCancel(client), "the cancelled coroutine's request is gone")

                val future = agent.async().makeReady()
                assertEquals("MakeReady#1001", gc.nextCommand())
                assertEquals(1L, client.pendingRequests)
                assertTrue(future.cancel(true))
                assertEquals(0L, pendingAfterCancel(client), "the cancelled future's request is gone")
                assertThrows<CancellationException> { future.get(1, TimeUnit.SECONDS) }

                // The next command is sent and waited for as usual.
                val next = expect<GcException.Timeout> { agent.makeNotReady(timeout = 200.milliseconds) }
                assertEquals("make_not_ready", next.command)
                assertEquals("MakeNotReady#1001", gc.nextCommand())
                assertEquals(0L, client.pendingRequests)
            }
        }
    }

    @Test
    fun `close fails pending futures and suspended commands with Closed`() = runBlocking<Unit> {
        withSilentGc { gc, config ->
            val client = GcClient.connect(config)
            client.awaitInService()
            val agent = client.agent("1001")
            val futures = listOf(agent.async().getState(), agent.async().makeCall("5551234"))
            val suspended = async(Dispatchers.Default) { runCatching { agent.makeReady() }.exceptionOrNull() }
            val sent = List(3) { gc.nextCommand() }.toSet()
            assertEquals(setOf("GetState#1001", "MakeCall#1001", "MakeReady#1001"), sent)
            client.close()
            for (f in futures) {
                val e = assertThrows<ExecutionException> { f.get(10, TimeUnit.SECONDS) }
                assertTrue(e.cause is GcException.Closed, "${e.cause}")
            }
            val e = suspended.await()
            assertTrue(e is GcException.Closed, "$e")
            // After close a future fails at once, with Closed too.
            val late = assertThrows<ExecutionException> { agent.async().getState().get(1, TimeUnit.SECONDS) }
            assertTrue(late.cause is GcException.Closed, "${late.cause}")
        }
    }

    @Test
    fun `an argument the protocol cannot carry fails the future before anything is sent`() = withSim { _, client ->
        val e = assertThrows<ExecutionException> { client.agent("1001").async().makeCall("55,51").get(5, TimeUnit.SECONDS) }
        val cause = e.cause
        assertTrue(cause is GcException.InvalidArgument, "$cause")
        assertEquals("number", (cause as GcException.InvalidArgument).argument)
        assertEquals(0L, client.pendingRequests)
    }

    @Test
    fun `an await without a dispatcher goes on off the library's threads`() = withSim { _, client ->
        val alice = client.agent("1001")
        alice.login("1234", "5001")
        // Unconfined resumes on whichever thread completes the await: the
        // library's own thread, unless the binding moves it off.
        val (thread, blocking) = kotlinx.coroutines.withContext(Dispatchers.Unconfined) {
            alice.getState()
            // A library thread refuses blocking calls: this one must not be one.
            Thread.currentThread().name to alice.sync().getState()
        }
        assertFalse(thread.startsWith("gcclient"), "the caller's code ran on $thread")
        assertEquals(AgentState.NOT_READY, blocking.agentState)
    }
}
