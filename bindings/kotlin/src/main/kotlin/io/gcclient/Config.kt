package io.gcclient

import java.time.Duration
import io.gcclient.internal.ClientConfig
import io.gcclient.internal.core.Secret

/**
 * An immutable, checked client configuration: the library's defaults with
 * the settings given to its [Builder]. Safe to share between threads and
 * clients; [toString] never shows the broker passcode.
 *
 * ```java
 * GcConfig config = GcConfig.builder("tcp://broker:61613")
 *         .queue("Connector1")
 *         .requestTimeout(Duration.ofSeconds(5))
 *         .build();
 * ```
 */
public class GcConfig private constructor(internal val native: ClientConfig) {
    public companion object {
        /** A builder with the defaults for these broker URLs (`tcp://host:61613`, `ssl://host:61614`), tried in order. */
        @JvmStatic
        public fun builder(broker: String, vararg more: String): Builder = Builder(listOf(broker) + more)

        /** A configuration from TOML text (the keys of the Rust `Config`, e.g. `request_timeout_ms`). */
        @JvmStatic
        @Throws(GcException::class)
        public fun fromToml(text: String): GcConfig = checked { io.gcclient.internal.configFromToml(text) }

        /** The defaults overridden by the `GCCLIENT_*` environment variables. */
        @JvmStatic
        @Throws(GcException::class)
        public fun fromEnvironment(): GcConfig = checked { io.gcclient.internal.configFromEnv() }

        private fun checked(make: () -> ClientConfig): GcConfig = nativeCall {
            val c = make()
            io.gcclient.internal.validateConfig(c)
            GcConfig(c)
        }
    }

    /** Broker URLs, tried in order. */
    public val brokers: List<String> get() = java.util.Collections.unmodifiableList(native.brokers)
    /** GC's command queue. */
    public val queue: String get() = native.queue
    /** This client's topic, or null for the default `gcclient.<host>.<uuid>`. */
    public val destination: String? get() = native.destination
    /** How long a command waits for GC's answer. */
    public val requestTimeout: Duration get() = Duration.ofMillis(native.requestTimeoutMs)
    /** How long connecting tries the brokers. */
    public val connectTimeout: Duration get() = Duration.ofMillis(native.connectTimeoutMs)
    /** How often Hello is sent while waiting for GC. */
    public val helloInterval: Duration get() = Duration.ofMillis(native.helloIntervalMs)
    /** How often Beat is sent while GC is in service. */
    public val beatInterval: Duration get() = Duration.ofMillis(native.beatIntervalMs)
    /** Longest wait between reconnect attempts. */
    public val backoffMax: Duration get() = Duration.ofMillis(native.backoffMaxMs)
    /** Notifications buffered per subscriber before the oldest are dropped. */
    public val eventBuffer: Int get() = native.eventBuffer
    /** Whether agents log in again by themselves after a reconnect. */
    public val isReloginAfterReconnect: Boolean get() = native.reloginAfterReconnect

    /** Every setting except the passcode, which shows as `***`. */
    override fun toString(): String = native.toString().replace(Regex("brokerPasscode=[^,)]*"), "brokerPasscode=***")

    /** Collects settings; [build] checks them. Not thread-safe (use one per thread). */
    public class Builder internal constructor(brokers: List<String>) {
        private var c: ClientConfig = io.gcclient.internal.defaultConfig(brokers.first()).copy(brokers = brokers)

        /** GC's command queue (default `Connector1`). */
        public fun queue(queue: String): Builder = apply { c = c.copy(queue = queue) }
        /** This client's topic (default `gcclient.<host>.<uuid>`). */
        public fun destination(destination: String): Builder = apply { c = c.copy(destination = destination) }
        /** Broker credentials; the passcode is kept in native memory and never printed or logged. */
        public fun brokerLogin(login: String, passcode: String): Builder =
            apply { c = c.copy(brokerLogin = login, brokerPasscode = Secret(passcode)) }
        /** STOMP `host` header (default: the broker's host name). */
        public fun vhost(vhost: String): Builder = apply { c = c.copy(vhost = vhost) }
        /** PEM file of CA certificates for `ssl://` brokers. */
        public fun tlsCaFile(path: String): Builder = apply { c = c.copy(tlsCaFile = path) }
        /** How long a command waits for GC's answer (default 10 s). */
        public fun requestTimeout(timeout: Duration): Builder = apply { c = c.copy(requestTimeoutMs = ms(timeout)) }
        /** How long connecting tries the brokers (default 10 s). */
        public fun connectTimeout(timeout: Duration): Builder = apply { c = c.copy(connectTimeoutMs = ms(timeout)) }
        /** How long the broker may take to confirm a command (default 5 s). */
        public fun receiptTimeout(timeout: Duration): Builder = apply { c = c.copy(receiptTimeoutMs = ms(timeout)) }
        /** How often Hello is sent while waiting for GC (default 3 s). */
        public fun helloInterval(interval: Duration): Builder = apply { c = c.copy(helloIntervalMs = ms(interval)) }
        /** How often Beat is sent while GC is in service (default 5 s). */
        public fun beatInterval(interval: Duration): Builder = apply { c = c.copy(beatIntervalMs = ms(interval)) }
        /** STOMP heart-beat period (default 10 s). */
        public fun stompHeartbeat(interval: Duration): Builder = apply { c = c.copy(stompHeartbeatMs = ms(interval)) }
        /** Time-to-live of commands on GC's queue (default 10 s). */
        public fun commandTtl(ttl: Duration): Builder = apply { c = c.copy(commandTtlMs = ms(ttl)) }
        /** Longest wait between reconnect attempts (default 5 s). */
        public fun backoffMax(max: Duration): Builder = apply { c = c.copy(backoffMaxMs = ms(max)) }
        /** Clock difference to the broker past which a `ClockSkew` notification comes (default 1 s). */
        public fun clockSkewWarn(threshold: Duration): Builder = apply { c = c.copy(clockSkewWarnMs = ms(threshold)) }
        /** Notifications buffered per subscriber before the oldest are dropped (default 4096). */
        public fun eventBuffer(size: Int): Builder = apply { c = c.copy(eventBuffer = size) }
        /** Whether agents log in again by themselves after a reconnect (default true). */
        public fun reloginAfterReconnect(enabled: Boolean): Builder = apply { c = c.copy(reloginAfterReconnect = enabled) }
        /** Whether commands are sent persistent (default false). */
        public fun persistent(enabled: Boolean): Builder = apply { c = c.copy(persistent = enabled) }
        /** GC's stand-in for `#` inside event fields, if the deployment has one. */
        public fun hashToken(token: String): Builder = apply { c = c.copy(hashToken = token) }
        /** Sends command [api] (`get_phonebooks`) under another wire name (`getPhoneBooks`). */
        public fun wireName(api: String, wire: String): Builder = apply { c = c.copy(wireNames = c.wireNames + (api to wire)) }
        /** Completes a request with an uncorrelated reply of its type (only for a GC that omits correlation ids). */
        public fun matchUncorrelatedReplies(enabled: Boolean): Builder = apply { c = c.copy(matchUncorrelatedReplies = enabled) }

        /** The checked configuration; [GcException.Config] names a bad setting. */
        @Throws(GcException::class)
        public fun build(): GcConfig = nativeCall {
            io.gcclient.internal.validateConfig(c)
            GcConfig(c)
        }

        private fun ms(d: Duration): Long = if (d.isNegative) -1 else d.toMillis()
    }
}
