package io.gcclient.support

import io.gcclient.Event
import io.gcclient.EventData
import io.gcclient.EventSubscription
import io.gcclient.GcClient
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.seconds

/**
 * Runs [body] with a GC that answers nothing on a fresh queue and a config
 * for it whose reply deadline is 30 s, so only what a test does (a per-call
 * timeout, an interrupt, a cancel, close) can end a command's wait early.
 */
inline fun <T> withSilentGc(body: (gc: SilentGc, config: io.gcclient.GcConfig) -> T): T {
    val queue = TestEnv.uniqueName("silent")
    return SilentGc.start(queue).use { gc ->
        body(gc, TestEnv.config(queue).requestTimeout(java.time.Duration.ofSeconds(30)).build())
    }
}

/** Runs [body] with a fresh simulator and a client in service on its queue; cleans both up. */
fun withSim(
    notUsingEvents: Boolean = false,
    body: suspend CoroutineScope.(sim: Sim, client: GcClient) -> Unit,
) = runBlocking {
    Sim.start(notUsingEvents = notUsingEvents).use { sim ->
        TestEnv.client(sim).use { client -> body(sim, client) }
    }
}

/** The next GC event matching [predicate], within 10 s. */
suspend fun EventSubscription.await(predicate: (Event) -> Boolean): Event = awaitEvent(10.seconds, predicate)

/** Whether [e] offers dialog [dialogId] (NewInboundCall). */
fun isOffer(e: Event, dialogId: String) =
    (e.data as? EventData.NewInboundCall)?.call?.dialogId == dialogId

/** Whether [e] reports dialog [dialogId] in [state] (InboundCall). */
fun isCall(e: Event, dialogId: String, state: String) =
    (e.data as? EventData.InboundCall)?.call?.let { it.dialogId == dialogId && it.state == state } == true

/** The exception of type [T] that [block] throws; fails the test otherwise. */
suspend inline fun <reified T : Throwable> expect(block: suspend () -> Any?): T {
    val result = try {
        block()
    } catch (e: Throwable) {
        if (e is T) return e
        throw AssertionError("expected ${T::class.simpleName}, got $e", e)
    }
    throw AssertionError("expected ${T::class.simpleName}, got a result: $result")
}
