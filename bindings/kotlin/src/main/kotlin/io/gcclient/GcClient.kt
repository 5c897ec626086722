package io.gcclient

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.mapNotNull
import kotlinx.coroutines.runBlocking
import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration

/**
 * A connection to GC through the broker: one topic, any number of agents.
 *
 * ```kotlin
 * GcClient.connect(ClientConfig(brokers = listOf("tcp://broker:61613"))).use { client ->
 *     client.awaitInService()
 *     val alice = client.agent("1001")
 *     alice.login("secret", "5001")
 *     client.events().collect { println(it.kind) }
 * }
 * ```
 *
 * Java uses [connectBlocking], [GcAgent.blocking] and [addListener].
 * [close] disconnects (blocking); [shutdown] is its suspending form.
 */
class GcClient private constructor(private val inner: Client) : AutoCloseable {
    private val agents = ConcurrentHashMap<String, GcAgent>()

    companion object {
        /**
         * Connects to the first reachable broker and starts saying Hello. GC
         * may still be out of service: see [awaitInService].
         */
        suspend fun connect(config: ClientConfig): GcClient = GcClient(io.gcclient.connect(config))

        /** [connect] for Java: blocks until the broker is connected. */
        @JvmStatic
        @Throws(GcException::class)
        fun connectBlocking(config: ClientConfig): GcClient = runBlocking { connect(config) }
    }

    /** This client's topic name. */
    val destination: String get() = inner.destination()

    /** Where the client stands with the broker and GC. */
    val status: ConnectionStatus get() = inner.status()

    /** Agents registered on this client, sorted. */
    val agentIds: List<String> get() = inner.agentIds()

    /** Notifications dropped because subscribers fell behind. */
    val droppedEvents: Long get() = inner.droppedEvents().toLong()

    /** Last measured local-minus-broker clock difference, in ms. */
    val clockSkewMs: Long? get() = inner.clockSkewMs()

    /** Waits until GC is in service; [GcException.NotInService] after [timeout]. */
    suspend fun awaitInService(timeout: Duration = 10.seconds) = inner.waitInService(timeout.ms())

    /** Waits until the status is [status]; [GcException.Timeout] after [timeout]. */
    suspend fun awaitStatus(status: ConnectionStatus, timeout: Duration = 10.seconds) =
        inner.waitFor(status, timeout.ms())

    /** [awaitInService] for Java. */
    @Throws(GcException::class)
    fun awaitInServiceBlocking(timeout: java.time.Duration) = runBlocking { awaitInService(timeout.toKotlinDuration()) }

    /** [awaitStatus] for Java. */
    @Throws(GcException::class)
    fun awaitStatusBlocking(status: ConnectionStatus, timeout: java.time.Duration) =
        runBlocking { awaitStatus(status, timeout.toKotlinDuration()) }

    /** One agent; the first call registers it (its events are cached, it logs in again after a reconnect). */
    fun agent(agentId: String): GcAgent = agents.computeIfAbsent(agentId) { GcAgent(inner.agent(it)) }

    /** Subscribes now to every notification (all agents, status changes). */
    fun subscribe(): EventSubscription = EventSubscription(inner.events())

    /** Every notification, subscribed when collection starts. */
    fun notifications(): Flow<Notification> = flow { subscribe().use { emitAll(it.asFlow()) } }

    /** Every GC event, for all agents, subscribed when collection starts. */
    fun events(): Flow<Event> = notifications().mapNotNull { it.event }

    /**
     * Calls [listener] for every notification (for one agent when [agentId]
     * is given), in order, on a daemon thread of its own (`gcclient-listener`),
     * until the client closes or the registration is closed. Subscribed
     * before it returns.
     */
    @JvmOverloads
    @Throws(GcException::class)
    fun addListener(listener: NotificationListener, agentId: String? = null): ListenerRegistration {
        val stream = if (agentId == null) inner.events() else agent(agentId).stream()
        return ListenerRegistration(stream, listener).start()
    }

    /** Fails pending requests, unsubscribes and disconnects. Idempotent. */
    suspend fun shutdown() = inner.shutdown()

    /** [shutdown], then frees the native handles. Idempotent. */
    override fun close() {
        runBlocking { inner.shutdown() }
        agents.values.forEach { it.freeHandle() }
        inner.close()
    }

}

internal fun Duration.ms(): ULong {
    require(!isNegative()) { "a timeout must not be negative, got $this" }
    return inWholeMilliseconds.toULong()
}
