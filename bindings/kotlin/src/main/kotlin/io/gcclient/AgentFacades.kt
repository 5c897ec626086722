package io.gcclient

import io.gcclient.internal.toPublic
import java.util.concurrent.CompletableFuture

/**
 * The commands of one agent, blocking the calling thread until GC answers
 * or the request times out. Obtained with [GcAgent.sync]; thread-safe.
 * The per-command methods are generated from the command table
 * ([AgentSyncCommands]); `connect` and `login` are written here, as in
 * every layer.
 */
public class AgentSync internal constructor(private val agent: GcAgent) : AgentSyncCommands() {
    override fun <T> blocking(name: String, call: (io.gcclient.internal.Agent) -> T): T = agent.blocking(call)

    /** `Connect` only (Finesse notifications without a login); `login` sends it itself. */
    @JvmOverloads
    @Throws(GcException::class, InterruptedException::class)
    public fun connect(password: String, sso: Boolean = false): Unit = blocking("connect") { it.connectBlocking(password, sso) }

    /** `Connect` then `Login`; returns the state event. The credentials stay in memory for automatic re-login. */
    @Throws(GcException::class, InterruptedException::class)
    public fun login(password: String, extension: String): Event =
        blocking("login") { it.loginBlocking(password, extension) }.toPublic()

    /** [login] for an SSO-enabled agent. */
    @Throws(GcException::class, InterruptedException::class)
    public fun loginSso(password: String, extension: String): Event =
        blocking("login_sso") { it.loginSsoBlocking(password, extension) }.toPublic()

    override fun toString(): String = "AgentSync(${agent.id})"
}

/**
 * The commands of one agent as [CompletableFuture]s, failing with a
 * [GcException]; cancelling a future cancels its command. Obtained with
 * [GcAgent.async]; thread-safe.
 */
public class AgentAsync internal constructor(private val agent: GcAgent) : AgentAsyncCommands() {
    override fun <T> future(block: suspend (GcAgent) -> T): CompletableFuture<T> = agent.future(block)

    /** `Connect` only (Finesse notifications without a login). */
    @JvmOverloads
    public fun connect(password: String, sso: Boolean = false): CompletableFuture<Void?> =
        future { it.connect(password, sso); null }

    /** `Connect` then `Login`; completes with the state event. */
    public fun login(password: String, extension: String): CompletableFuture<Event> = future { it.login(password, extension) }

    /** [login] for an SSO-enabled agent. */
    public fun loginSso(password: String, extension: String): CompletableFuture<Event> = future { it.loginSso(password, extension) }

    override fun toString(): String = "AgentAsync(${agent.id})"
}
