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

/** Notifications handed to a listener per foreign call while a burst is waiting. */
private const val LISTENER_BATCH = 512u

/** One native wait of a listener thread, in ms: a closed registration's thread ends within this time. */
private const val LISTENER_POLL_MS = 100uL

private val listenerLog: System.Logger = System.getLogger("io.gcclient.listener")

/**
 * A running [NotificationListener]; [close] stops delivery.
 *
 * The listener runs on a daemon thread of its own (`gcclient-listener`)
 * that takes notifications from the stream in batches: one foreign call per
 * burst, not one native-to-JVM callback per notification.
 */
class ListenerRegistration internal constructor(
    private val stream: EventStream,
    private val listener: NotificationListener,
) : AutoCloseable {
    @Volatile
    private var stopped = false

    /** Held around each listener call, so [close] can wait for the one in progress and none starts after it. */
    private val calling = Any()

    private val thread = Thread(::deliver, "gcclient-listener").apply { isDaemon = true }

    internal fun start(): ListenerRegistration = apply { thread.start() }

    /** Whether notifications are still being delivered. */
    val isActive: Boolean get() = !stopped && thread.isAlive

    private fun deliver() {
        try {
            while (!stopped) {
                val batch = try {
                    stream.nextBatchBlocking(LISTENER_BATCH, LISTENER_POLL_MS)
                } catch (_: GcException.Closed) {
                    return
                } catch (e: GcException) {
                    listenerLog.log(System.Logger.Level.ERROR, "listener $listener stopped: $e")
                    return
                }
                for (n in batch) {
                    synchronized(calling) {
                        if (stopped) return
                        try {
                            listener.onNotification(n)
                        } catch (e: Exception) {
                            listenerLog.log(System.Logger.Level.WARNING, "listener $listener failed", e)
                        }
                    }
                }
            }
        } finally {
            // Only this thread uses the stream: free it once it is done.
            stream.close()
        }
    }

    /** Stops delivery, waiting for a call in progress (unless called from the listener). */
    override fun close() {
        stopped = true
        if (Thread.currentThread() !== thread) synchronized(calling) {}
    }
}
