package io.gcclient

import io.gcclient.internal.toPublic
import io.gcclient.internal.toInternal
import io.gcclient.internal.Client
import io.gcclient.internal.InternalException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.withContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.future.future
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import org.slf4j.LoggerFactory
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration

/**
 * A connection to GC through the broker: one topic, any number of agents.
 *
 * Kotlin:
 * ```kotlin
 * GcClient.connect(GcConfig.builder("tcp://broker:61613").build()).use { client ->
 *     client.awaitInService()
 *     val alice = client.agent("1001")
 *     val events = alice.events()          // subscribed here, before the command
 *     alice.login("secret", "5001")
 *     events.collect { println(it.kind) }
 * }
 * ```
 * Java:
 * ```java
 * try (GcClient client = GcClient.connectBlocking(config)) {
 *     client.awaitInServiceBlocking(Duration.ofSeconds(10));
 *     AgentSync alice = client.agent("1001").sync();
 *     alice.login("secret", "5001");
 *     client.agent("1001").async().makeReady().thenAccept(System.out::println);
 * }
 * ```
 *
 * Thread-safe: one client is meant to be shared by every thread and agent
 * of an application. [close] is idempotent; every call after it throws
 * [GcException.Closed], and [status] answers [ConnectionStatus.CLOSED].
 */
public class GcClient private constructor(private val native: Client) : AutoCloseable {
    private val closed = AtomicBoolean(false)
    private val agents = ConcurrentHashMap<String, GcAgent>()
    private val failureHandlers = CopyOnWriteArrayList<ListenerFailureHandler>()
    private val destinationName: String = native.destination()

    /** Runs the futures of the async API; commands suspend, so two threads are plenty. */
    internal val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    private val dispatcherLock = Any()
    @Volatile
    private var dispatcher: Dispatcher? = null

    public companion object {
        private val log = LoggerFactory.getLogger(GcClient::class.java)

        /**
         * Connects to the first reachable broker and starts saying Hello. GC
         * may still be out of service: see [awaitInService].
         */
        @JvmSynthetic
        public suspend fun connect(config: GcConfig): GcClient {
            NativeLogging.install()
            ThreadInterruption.install()
            return GcClient(nativeSuspend { io.gcclient.internal.connect(config.native) })
        }

        /** [connect] for Java: blocks until the broker is connected. */
        @JvmStatic
        @Throws(GcException::class, InterruptedException::class)
        public fun connectBlocking(config: GcConfig): GcClient = runBlocking { connect(config) }

        /**
         * Returns at once, without waiting for a broker, and keeps trying the
         * broker list in the background ([status] is
         * [ConnectionStatus.CONNECTING], later RECONNECTING between attempts),
         * as a CRM service started at boot before its broker needs. Commands
         * sent before GC is in service fail; see [awaitInService]. A refused
         * broker login is reported as a [Notification.BrokerAuth] and stops the
         * retries unless the config says otherwise.
         */
        @JvmStatic
        @Throws(GcException::class)
        public fun start(config: GcConfig): GcClient {
            NativeLogging.install()
            ThreadInterruption.install()
            return GcClient(nativeCall { io.gcclient.internal.start(config.native) })
        }

        /** [connect] for Java, as a future. */
        @JvmStatic
        public fun connectAsync(config: GcConfig): CompletableFuture<GcClient> =
            CoroutineScope(Dispatchers.Default).future { connect(config) }
    }

    /** This client's topic name. */
    public val destination: String get() = ensureOpen().let { destinationName }

    /** Where the client stands with the broker and GC; [ConnectionStatus.CLOSED] once closed. */
    public val status: ConnectionStatus
        get() = if (closed.get()) ConnectionStatus.CLOSED else now { native.status().toPublic() }

    /** Whether [close] was called. */
    public val isClosed: Boolean get() = closed.get()

    /** Agents registered on this client, sorted. */
    public val agentIds: List<String> get() = now { java.util.Collections.unmodifiableList(native.agentIds()) }

    /** Commands sent and still waiting for GC's reply (blocking and asynchronous ones). */
    internal val pendingRequests: Long get() = now { native.pendingRequests().toLong() }

    /** Notifications dropped because subscribers fell behind. */
    public val droppedEvents: Long get() = now { native.droppedEvents().toLong() }

    /** Last measured local-minus-broker clock difference, or null before the first measurement. */
    public val clockSkew: java.time.Duration? get() = now { native.clockSkewMs()?.let { java.time.Duration.ofMillis(it) } }

    /** Waits until GC is in service; [GcException.NotInService] after [timeout]. */
    @JvmSynthetic
    public suspend fun awaitInService(timeout: Duration = 10.seconds): Unit = call { native.waitInService(timeout.ms()) }

    /** Waits until the status is [status]; [GcException.Timeout] after [timeout]. */
    @JvmSynthetic
    public suspend fun awaitStatus(status: ConnectionStatus, timeout: Duration = 10.seconds): Unit =
        call { native.waitFor(status.toInternal(), timeout.ms()) }

    /** [awaitInService] for Java. */
    @Throws(GcException::class, InterruptedException::class)
    public fun awaitInServiceBlocking(timeout: java.time.Duration): Unit = blocking { awaitInService(timeout.toKotlinDuration()) }

    /** [awaitStatus] for Java. */
    @Throws(GcException::class, InterruptedException::class)
    public fun awaitStatusBlocking(status: ConnectionStatus, timeout: java.time.Duration): Unit =
        blocking { awaitStatus(status, timeout.toKotlinDuration()) }

    /** [awaitInService] for Java, as a future. */
    public fun awaitInServiceAsync(timeout: java.time.Duration): CompletableFuture<Void?> =
        future { awaitInService(timeout.toKotlinDuration()); null }

    /** One agent; the first call registers it (its events are cached, it logs in again after a reconnect). */
    @Throws(GcException::class)
    public fun agent(agentId: String): GcAgent {
        ensureOpen()
        return agents.computeIfAbsent(agentId) { GcAgent(this, now { native.agent(it) }, it) }
    }

    /** Subscribes now to every notification (all agents, status changes). */
    @Throws(GcException::class)
    public fun subscribe(): EventSubscription = EventSubscription(this, now { native.events() }, null)

    /** Every notification, subscribed when this is called (not when collected); collect it once. */
    @Throws(GcException::class)
    public fun notifications(): Flow<Notification> = subscribe().notifications()

    /** Every GC event of every agent, subscribed when this is called (not when collected); collect it once. */
    @Throws(GcException::class)
    public fun events(): Flow<Event> = subscribe().events()

    /**
     * Calls [listener] for every notification (for one agent when
     * [agentId] is given), in order, on this client's delivery thread
     * (`gcclient-events-...`, one per client, woken by events). Subscribed
     * before it returns. An exception or error the listener throws is
     * logged, handed to the [ListenerFailureHandler]s and delivery goes on
     * (a [VirtualMachineError] ends the thread). A slow listener delays the
     * others: hand long work to an executor.
     */
    @JvmOverloads
    @Throws(GcException::class)
    public fun addListener(listener: NotificationListener, agentId: String? = null): ListenerRegistration {
        val registration = ListenerRegistration(this, listener, agentId)
        dispatcher().add(registration)
        return registration
    }

    /** Receives every failure of a listener (they are logged too). */
    public fun addListenerFailureHandler(handler: ListenerFailureHandler) {
        failureHandlers += handler
    }

    public fun removeListenerFailureHandler(handler: ListenerFailureHandler) {
        failureHandlers -= handler
    }

    internal fun listenerFailed(failure: ListenerFailure) {
        log.error("listener {} failed on {}", failure.listener, failure.notification, failure.error)
        for (h in failureHandlers) {
            try {
                h.onListenerFailure(failure)
            } catch (e: VirtualMachineError) {
                throw e
            } catch (e: Throwable) {
                log.error("listener failure handler {} failed", h, e)
            }
        }
    }

    private fun dispatcher(): Dispatcher {
        ensureOpen()
        dispatcher?.let { return it }
        synchronized(dispatcherLock) {
            ensureOpen()
            return dispatcher ?: Dispatcher(this, now { native.events() }, destinationName).also {
                dispatcher = it
                it.start()
            }
        }
    }

    /** Fails pending requests, unsubscribes and disconnects; the suspending form of [close]. */
    @JvmSynthetic
    public suspend fun shutdown() {
        if (!closed.get()) nativeSuspend { native.shutdown() }
        close()
    }

    /**
     * Fails pending requests, unsubscribes, disconnects, stops listener
     * delivery and frees the native handles. Idempotent; not interruptible
     * (an interrupt that comes meanwhile stays set on the thread).
     */
    override fun close() {
        if (!closed.compareAndSet(false, true)) return
        val interrupted = Thread.interrupted()
        try {
            runBlocking { native.shutdown() }
        } finally {
            synchronized(dispatcherLock) { dispatcher }?.join()
            // The shutdown failed every pending command with Closed: let the
            // futures finish with that before anything left is cancelled
            // (a future cancelled first would fail with CancellationException).
            runBlocking {
                withTimeoutOrNull(1_000) { scope.coroutineContext[Job]?.children?.toList()?.forEach { it.join() } }
            }
            scope.cancel()
            agents.values.forEach { it.native.close() }
            native.close()
            if (interrupted) Thread.currentThread().interrupt()
        }
    }

    override fun toString(): String = "GcClient($destinationName${if (closed.get()) ", closed" else ""})"

    internal fun ensureOpen() {
        if (closed.get()) throw closedError()
    }

    /** A native call that does not wait; closed-safe. */
    internal fun <T> now(block: () -> T): T {
        ensureOpen()
        return nativeCall(::closedError, block)
    }

    /** A suspending native call; closed-safe. */
    internal suspend fun <T> call(block: suspend () -> T): T {
        ensureOpen()
        return nativeSuspend(::closedError, block)
    }

    /** Blocks the calling thread on [block]; interruptible. */
    internal fun <T> blocking(block: suspend () -> T): T {
        ensureOpen()
        return runBlocking { block() }
    }

    /**
     * A blocking native call (`*Blocking`): the library waits on this
     * thread, so the reply wakes it directly, with no coroutine or executor
     * in between. An interrupt, before or while it waits (the library asks
     * every 50 ms), cancels the command and throws [InterruptedException]
     * with the flag cleared, as `Thread.sleep` does.
     */
    internal fun <T> blockingNative(block: () -> T): T {
        ensureOpen()
        if (Thread.interrupted()) throw InterruptedException("interrupted before the command was sent")
        return nativeCall(::closedError) {
            try {
                block()
            } catch (e: io.gcclient.internal.GcException.Interrupted) {
                Thread.interrupted()
                throw InterruptedException(e.detail)
            }
        }
    }

    /** Runs [block] as a future; cancelling the future cancels it. */
    internal fun <T> future(block: suspend () -> T): CompletableFuture<T> {
        if (closed.get()) return CompletableFuture<T>().apply { completeExceptionally(closedError()) }
        // Started on the caller's thread up to the native call's first
        // suspension (only library code runs there), so sending the command
        // does not wait for a pool thread; it resumes on the scope's pool.
        return scope.future(start = CoroutineStart.UNDISPATCHED) { block() }
    }
}

/** How the native library's threads meet the JVM's; installed once, at the first connect. */
private object ThreadInterruption : io.gcclient.internal.Interruption {
    private val installed: Unit by lazy {
        // Blocking native calls ask this, on the blocked thread, whether it was interrupted.
        io.gcclient.internal.setInterruption(this)
        // Every suspending native call ends with this callback, from the
        // library thread that completes it. JNA attaches a native thread to
        // the JVM for each callback and detaches it after, unless told
        // otherwise: keep it attached (as a daemon), or each command pays
        // an attach.
        com.sun.jna.Native.setCallbackThreadInitializer(
            io.gcclient.internal.uniffiRustFutureContinuationCallbackImpl,
            com.sun.jna.CallbackThreadInitializer(true, false, "gcclient-rt"),
        )
        // The callback only resumes a continuation, and nativeSuspend makes
        // every await resume on a dispatcher, so no user code runs on the
        // library's threads: they may call it directly, one hop less.
        io.gcclient.internal.wakeOnLibraryThreads()
    }

    fun install() = installed

    override fun interrupted(): Boolean = Thread.currentThread().isInterrupted
}

private fun Duration.ms(): ULong {
    require(!isNegative()) { "a timeout must not be negative, got $this" }
    return inWholeMilliseconds.toULong()
}

/** Translates the failures of a native call; [destroyed] says what a freed handle means. */
internal inline fun <T> nativeCall(destroyed: (Throwable) -> GcException = ::internalError, block: () -> T): T =
    try {
        block()
    } catch (e: kotlinx.coroutines.CancellationException) {
        throw e
    } catch (e: io.gcclient.internal.GcException) {
        throw e.toPublic()
    } catch (e: InternalException) {
        throw GcException.Internal("the native library failed: ${e.message}", e)
    } catch (e: IllegalStateException) {
        // uniffi's "object has already been destroyed": a call raced close().
        throw destroyed(e)
    }

internal suspend inline fun <T> nativeSuspend(
    crossinline destroyed: (Throwable) -> GcException = ::internalError,
    crossinline block: suspend () -> T,
): T = try {
    // The library resumes an await from its own thread: without a
    // dispatcher (Unconfined, `suspend fun main`) the caller's code would
    // go on running there, holding up every agent's I/O.
    if (resumesInline(currentCoroutineContext())) withContext(Dispatchers.Default) { block() } else block()
} catch (e: kotlinx.coroutines.CancellationException) {
    throw e
} catch (e: io.gcclient.internal.GcException) {
    throw e.toPublic()
} catch (e: InternalException) {
    throw GcException.Internal("the native library failed: ${e.message}", e)
} catch (e: IllegalStateException) {
    throw destroyed(e)
}

/** Whether a continuation resumed in [context] runs on the resuming thread. */
@PublishedApi
internal fun resumesInline(context: kotlin.coroutines.CoroutineContext): Boolean {
    val dispatcher = context[kotlin.coroutines.ContinuationInterceptor] as? kotlinx.coroutines.CoroutineDispatcher
    return dispatcher == null || !dispatcher.isDispatchNeeded(context)
}

internal fun internalError(e: Throwable) = GcException.Internal("a native handle was used after it was freed", e)
