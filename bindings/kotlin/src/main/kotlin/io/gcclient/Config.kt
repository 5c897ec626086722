package io.gcclient


/**
 * Builds a [ClientConfig] from the library's defaults. Kotlin code may also
 * construct `ClientConfig(brokers = listOf(url), queue = ...)` directly; the
 * builder is for Java, which cannot set the record's unsigned fields.
 *
 * ```java
 * ClientConfig config = GcConfig.builder("tcp://broker:61613").queue("Connector1").build();
 * ```
 */
class GcConfig private constructor(brokers: List<String>) {
    private val config: ClientConfig = defaultConfig(brokers.first()).also { it.brokers = brokers }

    companion object {
        /** The defaults for these broker URLs (`tcp://host:61613`, `ssl://host:61614`), tried in order. */
        @JvmStatic
        fun builder(broker: String, vararg more: String): GcConfig = GcConfig(listOf(broker) + more)
    }

    /** GC's command queue (default `Connector1`). */
    fun queue(queue: String) = apply { config.queue = queue }

    /** This client's topic (default `gcclient.<host>.<uuid>`). */
    fun destination(destination: String) = apply { config.destination = destination }

    /** Broker credentials; the passcode is kept opaque and never printed. */
    fun brokerLogin(login: String, passcode: String) = apply {
        config.brokerLogin = login
        config.brokerPasscode = Secret(passcode)
    }

    /** PEM file of CA certificates for `ssl://` brokers. */
    fun tlsCaFile(path: String) = apply { config.tlsCaFile = path }

    /** How long a command waits for GC's answer. */
    fun requestTimeout(timeout: java.time.Duration) = apply { config.requestTimeoutMs = timeout.ms() }

    /** How long `connect` tries the brokers. */
    fun connectTimeout(timeout: java.time.Duration) = apply { config.connectTimeoutMs = timeout.ms() }

    /** How often Hello is sent while waiting for GC. */
    fun helloInterval(interval: java.time.Duration) = apply { config.helloIntervalMs = interval.ms() }

    /** Longest wait between reconnect attempts. */
    fun backoffMax(max: java.time.Duration) = apply { config.backoffMaxMs = max.ms() }

    /** Notifications buffered per subscriber before the oldest are dropped. */
    fun eventBuffer(size: Int) = apply {
        require(size > 0) { "eventBuffer must be positive, got $size" }
        config.eventBuffer = size.toUInt()
    }

    /** Whether agents log in again by themselves after a reconnect (default true). */
    fun reloginAfterReconnect(enabled: Boolean) = apply { config.reloginAfterReconnect = enabled }

    /** A checked copy; [GcException.Config] names a bad setting. */
    @Throws(GcException::class)
    fun build(): ClientConfig = config.copy().also { validateConfig(it) }
}

private fun java.time.Duration.ms(): ULong {
    require(!isNegative) { "a duration must not be negative, got $this" }
    return toMillis().toULong()
}
