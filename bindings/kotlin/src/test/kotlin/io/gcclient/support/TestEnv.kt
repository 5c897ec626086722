package io.gcclient.support

import io.gcclient.GcConfig
import org.junit.jupiter.api.Assumptions
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
            ?: Assumptions.abort(
                "skipped: GCCLIENT_TEST_STOMP is not set; this test needs a broker: " +
                    "scripts/activemq.sh start, then export GCCLIENT_TEST_STOMP=host:port",
            )
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
    @JvmOverloads
    fun config(queue: String, broker: String = brokerUrl): GcConfig.Builder = GcConfig.builder(broker)
        .queue(queue)
        .requestTimeout(java.time.Duration.ofSeconds(5))
        .connectTimeout(java.time.Duration.ofSeconds(5))
        .helloInterval(java.time.Duration.ofMillis(200))
        .beatInterval(java.time.Duration.ofMillis(500))
        .backoffMax(java.time.Duration.ofMillis(500))

    /** A client on [sim]'s queue, in service. */
    suspend fun client(sim: Sim, broker: String = brokerUrl): GcClient {
        val client = GcClient.connect(config(sim.queue, broker).build())
        client.awaitInService(10.seconds)
        return client
    }
}
