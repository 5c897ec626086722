package io.gcclient

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.time.Duration

/** Notifications fetched per foreign call while a burst is waiting. */
private const val BATCH = 256u

/**
 * A subscription that is live from the moment it is made: nothing sent
 * after [GcClient.subscribe] returns is missed. Read it as a [Flow]
 * ([asFlow], collected once), with [next] or, from Java, with [poll].
 * Close it to unsubscribe.
 */
class EventSubscription internal constructor(private val stream: EventStream) : AutoCloseable {
    /** The next notification; null once the client is closed and drained. Cancellable. */
    suspend fun next(): Notification? = stream.next()

    /** The next notification, or null after [timeout]. */
    suspend fun next(timeout: Duration): Notification? = withTimeoutOrNull(timeout) { stream.next() }

    /**
     * Blocks up to [timeoutMs] for the next notification; null if none came.
     * Throws [GcException.Closed] once the client is closed and drained.
     */
    @Throws(GcException::class)
    fun poll(timeoutMs: Long): Notification? {
        require(timeoutMs >= 0) { "timeoutMs must not be negative, got $timeoutMs" }
        return stream.nextBatchBlocking(1u, timeoutMs.toULong()).firstOrNull()
    }

    /** Every notification until the client closes. */
    fun asFlow(): Flow<Notification> = flow {
        while (true) {
            val batch = try {
                stream.nextBatch(BATCH)
            } catch (_: GcException.Closed) {
                break
            }
            for (n in batch) emit(n)
        }
    }

    /**
     * The first GC event matching [predicate] within [timeout]; earlier
     * notifications are consumed. Throws `TimeoutCancellationException`.
     */
    suspend fun awaitEvent(timeout: Duration, predicate: (Event) -> Boolean): Event = withTimeout(timeout) {
        var found: Event? = null
        while (found == null) {
            val n = stream.next() ?: throw GcException.Closed("the client closed while waiting for an event")
            found = n.event?.takeIf(predicate)
        }
        found
    }

    override fun close() = stream.close()
}

/** A listener for Java (and Kotlin code without coroutines). */
fun interface NotificationListener {
    /** Called in order on the subscription's own thread; exceptions are logged, delivery goes on. */
    fun onNotification(notification: Notification)
}

/** A running [NotificationListener]; [close] stops delivery. */
class ListenerRegistration internal constructor(private val subscription: Subscription) : AutoCloseable {
    /** Whether notifications are still being delivered. */
    val isActive: Boolean get() = subscription.isActive()

    /** Stops delivery, waiting for a call in progress (unless called from the listener). */
    override fun close() {
        subscription.cancel()
        subscription.close()
    }
}

internal class ListenerAdapter(private val listener: NotificationListener) : EventListener {
    override fun onNotification(notification: Notification) {
        try {
            listener.onNotification(notification)
        } catch (e: Exception) {
            // Reported through the library's log; the listener keeps receiving.
            throw ListenerException.Failed(e.toString())
        }
    }
}
