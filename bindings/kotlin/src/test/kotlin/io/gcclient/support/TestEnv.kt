package io.gcclient.support

import io.gcclient.ClientConfig
import io.gcclient.GcClient
import java.io.File
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

/** Where the tests find the broker and the simulator. */
object TestEnv {
    /** `host:port` of the broker's STOMP connector (scripts/test starts one). */
    @JvmStatic
    val stomp: String by lazy {
        System.getenv("GCCLIENT_TEST_STOMP")?.takeIf { it.isNotBlank() }
            ?: error("GCCLIENT_TEST_STOMP is not set: start a broker (scripts/activemq.sh) and export its host:port")
    }

    @JvmStatic
    val brokerUrl: String get() = "tcp://$stomp"

    /** The gcclient-sim binary Maven built (build-native.sh sim), or GCCLIENT_SIM. */
    @JvmStatic
    val simPath: String by lazy {
        System.getenv("GCCLIENT_SIM")?.takeIf { it.isNotBlank() }
            ?: System.getProperty("gcclient.sim.pathFile")?.let { File(it).readText().trim() }
            ?: error("no simulator: run the tests through Maven or set GCCLIENT_SIM")
    }

    private val counter = AtomicInteger()

    /** A name no other test run uses (queues, topics). */
    @JvmStatic
    fun uniqueName(prefix: String): String =
        "$prefix-kt-${ProcessHandle.current().pid()}-${counter.incrementAndGet()}-${System.nanoTime() % 100_000}"

    /** A config for the broker and [queue], with short timeouts for tests. */
    @JvmStatic
    fun config(queue: String, broker: String = brokerUrl): ClientConfig = ClientConfig(
        brokers = listOf(broker),
        queue = queue,
        requestTimeoutMs = 5_000uL,
        connectTimeoutMs = 5_000uL,
        helloIntervalMs = 200uL,
        beatIntervalMs = 500uL,
        backoffMaxMs = 500uL,
    )

    /** A client on [sim]'s queue, in service. */
    suspend fun client(sim: Sim, broker: String = brokerUrl): GcClient {
        val client = GcClient.connect(config(sim.queue, broker))
        client.awaitInService(10.seconds)
        return client
    }
}
