// gcclient's Kotlin binding through its suspending API, for scripts/bench:
//   --stomp HOST:PORT --queue Q --n N --inflight K --warmup W
// K coroutines on Dispatchers.Default, each with its own agent, awaiting one
// GetState at a time -> one JSON line {"samples_us": [...]}.
// The queue's GC peer (bench peer) must be running.

import io.gcclient.GcClient
import io.gcclient.GcConfig
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import java.time.Duration
import kotlin.system.exitProcess

fun main(args: Array<String>) {
    val opts = args.toList().chunked(2).associate { it[0] to it[1] }
    val n = opts.getValue("--n").toInt()
    val inflight = opts["--inflight"]?.toInt() ?: 1
    val warmup = opts["--warmup"]?.toInt() ?: 100
    val config = GcConfig.builder("tcp://" + opts.getValue("--stomp"))
        .queue(opts.getValue("--queue"))
        .helloInterval(Duration.ofMillis(200))
        .build()
    val samples = runBlocking {
        withContext(Dispatchers.Default) {
            GcClient.connect(config).use { client ->
                client.awaitInService()
                (0 until inflight).map { w ->
                    val agent = client.agent((1001 + w).toString())
                    val share = n / inflight + if (w < n % inflight) 1 else 0
                    async {
                        repeat(warmup / inflight + 1) { agent.getState() }
                        DoubleArray(share) {
                            val t0 = System.nanoTime()
                            agent.getState()
                            (System.nanoTime() - t0) / 1000.0
                        }
                    }
                }.awaitAll()
            }
        }
    }
    // Flattened first: a worker with no share (N < K) has no samples.
    println(samples.flatMap { it.asList() }.joinToString(",", "{\"samples_us\":[", "]}"))
    exitProcess(0)
}
