package io.gcclient

import io.gcclient.internal.toPublic
import io.gcclient.internal.EventStream
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.mapNotNull
import kotlinx.coroutines.withTimeoutOrNull
import org.slf4j.LoggerFactory
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.function.Predicate
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/** Notifications fetched per native call while a burst is waiting. */
private const val BATCH = 256u

/**
 * A subscription that is live from the moment it is made: nothing sent
 * after [GcClient.subscribe] (or [GcAgent.subscribe]) returns is missed.
 * Read it once, in one way: as a [Flow] ([notifications], [events]), with
 * [next], or from Java with [poll]. Close it to unsubscribe. Not meant to
 * be read by two threads at once.
 */
public class EventSubscription internal constructor(
    private val client: GcClient,
    private val stream: EventStream,
    private val agentId: String?,
) : AutoCloseable {
    private val collected = AtomicBoolean(false)
    private val closed = AtomicBoolean(false)

    /** The next notification; null once the client is closed and drained. Cancelling loses nothing. */
    @JvmSynthetic
    public suspend fun next(): Notification? = client.call { stream.next() }?.toPublic()

    /** The next notification, or null when none came within [timeout]. */
    @JvmSynthetic
    public suspend fun next(timeout: Duration): Notification? = withTimeoutOrNull(timeout) { next() }

    /**
     * Blocks up to [timeout] for the next notification; null if none came.
     * Throws [GcException.Closed] once the client is closed.
     */
    @Throws(GcException::class, InterruptedException::class)
    public fun poll(timeout: java.time.Duration): Notification? = client.blocking { next(timeout.toKotlinDuration()) }

    /** Every notification until the client closes; collect it once (it closes the subscription at the end). */
    public fun notifications(): Flow<Notification> = flow {
        check(collected.compareAndSet(false, true)) { "a subscription is collected once: subscribe again for another collector" }
        try {
            while (true) {
                val batch = try {
                    client.call { stream.nextBatch(BATCH) }
                } catch (_: GcException.Closed) {
                    break
                }
                for (n in batch) emit(n.toPublic())
            }
        } finally {
            close()
        }
    }

    /** The GC events among [notifications]. */
    public fun events(): Flow<Event> = notifications().mapNotNull { it.event }

    /**
     * The first GC event matching [predicate] within [timeout]; earlier
     * notifications are consumed. [GcException.Timeout] when none came, so
     * a timeout never looks like the cancellation of the caller.
     */
    @JvmSynthetic
    public suspend fun awaitEvent(timeout: Duration, predicate: (Event) -> Boolean): Event {
        val found = withTimeoutOrNull(timeout) {
            var found: Event? = null
            while (found == null) {
                val n = next() ?: throw closedError()
                found = n.event?.takeIf(predicate)
            }
            found
        }
        return found ?: throw GcException.Timeout(
            "no matching event ${agentId?.let { "for agent `$it` " } ?: ""}within ${timeout.inWholeMilliseconds} ms",
            "awaitEvent",
            agentId ?: "",
            java.time.Duration.ofMillis(timeout.inWholeMilliseconds),
        )
    }

    /** [awaitEvent] for Java. */
    @Throws(GcException::class, InterruptedException::class)
    public fun awaitEvent(timeout: java.time.Duration, predicate: Predicate<Event>): Event =
        client.blocking { awaitEvent(timeout.toKotlinDuration()) { predicate.test(it) } }

    override fun close() {
        if (closed.compareAndSet(false, true)) stream.close()
    }
}

/** A listener for Java (and Kotlin code without coroutines). */
public fun interface NotificationListener {
    /** Called in order on the client's delivery thread. */
    public fun onNotification(notification: Notification)
}

/** What a listener threw, and on which notification. */
public class ListenerFailure internal constructor(
    public val listener: NotificationListener,
    public val notification: Notification,
    public val error: Throwable,
) {
    override fun toString(): String = "ListenerFailure($listener on $notification: $error)"
}

/** Told about every listener that throws (see [GcClient.addListenerFailureHandler]). */
public fun interface ListenerFailureHandler {
    public fun onListenerFailure(failure: ListenerFailure)
}

/**
 * A [NotificationListener] registered on a client; [close] stops delivery
 * to it (waiting for a call in progress, unless called from the listener).
 */
public class ListenerRegistration internal constructor(
    private val client: GcClient,
    private val listener: NotificationListener,
    private val agentId: String?,
) : AutoCloseable {
    @Volatile
    private var registered = true
    @Volatile
    internal var dispatcher: Dispatcher? = null

    /** Held around each call, so [close] can wait for the one in progress. */
    private val calling = Any()

    /** Whether notifications are still delivered to the listener. */
    public val isActive: Boolean get() = registered && dispatcher?.isRunning == true

    internal fun wants(n: Notification): Boolean = when {
        agentId == null -> true
        n is Notification.GcEvent -> n.event.agent == agentId
        n is Notification.Relogin -> n.agent == agentId
        else -> true
    }

    internal fun deliver(n: Notification) {
        synchronized(calling) {
            if (!registered) return
            try {
                listener.onNotification(n)
            } catch (e: VirtualMachineError) {
                throw e
            } catch (e: Throwable) {
                client.listenerFailed(ListenerFailure(listener, n, e))
            }
        }
    }

    override fun close() {
        registered = false
        dispatcher?.remove(this)
        if (dispatcher?.isCurrentThread != true) synchronized(calling) {}
    }

    override fun toString(): String = "ListenerRegistration($listener${agentId?.let { ", agent $it" } ?: ""})"
}

/** How long one native wait of the delivery thread lasts: it wakes for events and for close, not on a timer. */
private const val IDLE_WAIT_MS = 3_600_000uL

/**
 * The one delivery thread of a client: blocks in native code on one
 * subscription to every notification and hands each to the registered
 * listeners that want it.
 */
internal class Dispatcher(private val client: GcClient, private val stream: EventStream, destination: String) {
    private val log = LoggerFactory.getLogger(Dispatcher::class.java)
    private val listeners = CopyOnWriteArrayList<ListenerRegistration>()
    private val thread = Thread(::run, "gcclient-events-$destination").apply { isDaemon = true }

    val isRunning: Boolean get() = thread.isAlive
    val isCurrentThread: Boolean get() = Thread.currentThread() === thread

    fun start() = thread.start()

    fun add(r: ListenerRegistration) {
        r.dispatcher = this
        listeners += r
    }

    fun remove(r: ListenerRegistration) {
        listeners -= r
    }

    /** Waits for the thread to end (the client closed); not from the thread itself. */
    fun join() {
        if (!isCurrentThread) thread.join(TimeUnit.SECONDS.toMillis(10))
    }

    private fun run() {
        try {
            while (true) {
                val batch = try {
                    stream.nextBatchBlocking(512u, IDLE_WAIT_MS)
                } catch (_: io.gcclient.internal.GcException.Closed) {
                    return
                } catch (e: Exception) {
                    if (!client.isClosed) log.error("listener delivery stopped", e)
                    return
                }
                for (n in batch) {
                    val public = n.toPublic()
                    for (r in listeners) if (r.wants(public)) r.deliver(public)
                }
            }
        } finally {
            // Only this thread uses the stream: free it once it is done.
            stream.close()
        }
    }
}
