package io.gcclient

import io.gcclient.internal.Agent
import io.gcclient.internal.toPublic
import kotlinx.coroutines.flow.Flow
import java.util.concurrent.CompletableFuture

/**
 * One agent on a [GcClient]. Kotlin calls the suspending commands of
 * [AgentCommands] on it directly (`alice.makeReady()`); Java uses [sync]
 * (blocking) or [async] (`CompletableFuture`), in the style of Lettuce.
 * Commands GC answers return the reply [Event]; a GC error arrives as
 * [GcException.Gc] (its `error.code` is a typed [ErrorCode]), an argument
 * the protocol cannot carry as [GcException.InvalidArgument] before
 * anything is sent.
 *
 * Thread-safe; [GcClient.agent] returns the same object for the same id.
 */
public class GcAgent internal constructor(
    private val client: GcClient,
    internal val native: Agent,
    /** The agent id. */
    public val id: String,
) : AgentCommands() {
    private val sync by lazy { AgentSync(this) }
    private val async by lazy { AgentAsync(this) }

    /** The commands, blocking the calling thread. */
    public fun sync(): AgentSync = sync

    /** The commands, as futures. */
    public fun async(): AgentAsync = async

    /** What the client knows about this agent, kept from events. */
    public val snapshot: AgentSnapshot @Throws(GcException::class) get() = client.now { native.snapshot().toPublic() }

    /** Subscribes now to this agent's notifications (its events, its re-logins, status changes). */
    @Throws(GcException::class)
    public fun subscribe(): EventSubscription = EventSubscription(client, client.now { native.events() }, id)

    /** This agent's notifications, subscribed when this is called (not when collected); collect it once. */
    @Throws(GcException::class)
    public fun notifications(): Flow<Notification> = subscribe().notifications()

    /** This agent's GC events, subscribed when this is called (not when collected); collect it once. */
    @Throws(GcException::class)
    public fun events(): Flow<Event> = subscribe().events()

    /** [GcClient.addListener] for this agent. */
    @Throws(GcException::class)
    public fun addListener(listener: NotificationListener): ListenerRegistration = client.addListener(listener, id)

    override suspend fun <T> command(name: String, call: suspend (Agent) -> T): T = client.call { call(native) }

    // The `Custom` rows of the command table, written by hand in every layer.

    /** `Connect` only (Finesse notifications without a login); `login` sends it itself. */
    @JvmSynthetic
    public suspend fun connect(password: String, sso: Boolean = false): Unit = command("connect") { it.connect(password, sso) }

    /** `Connect` then `Login`; returns the state event. The credentials stay in memory for automatic re-login. */
    @JvmSynthetic
    public suspend fun login(password: String, extension: String): Event =
        command("login") { it.login(password, extension) }.toPublic()

    /** [login] for an SSO-enabled agent. */
    @JvmSynthetic
    public suspend fun loginSso(password: String, extension: String): Event =
        command("login_sso") { it.loginSso(password, extension) }.toPublic()

    /** A `*Blocking` native call on this agent, on the calling thread. */
    internal fun <T> blocking(call: (Agent) -> T): T = client.blockingNative { call(native) }

    internal fun <T> future(block: suspend (GcAgent) -> T): CompletableFuture<T> = client.future { block(this) }

    override fun toString(): String = "GcAgent($id)"
}
