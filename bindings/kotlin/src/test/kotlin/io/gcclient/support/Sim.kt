package io.gcclient.support

import java.io.BufferedReader
import java.io.InputStreamReader
import java.util.concurrent.CountDownLatch
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/**
 * The gcclient-sim binary (GC + Finesse played over the real broker) on a
 * queue of its own, driven through its console: `offer`, `hangup`, `down`,
 * `up`, `restart`, `agents`, `calls`.
 */
class Sim private constructor(val queue: String, private val process: Process) : AutoCloseable {
    private val stdout = LinkedBlockingQueue<String>()
    private val stderr = StringBuffer()
    private val ready = CountDownLatch(1)

    init {
        thread(isDaemon = true, name = "sim-stdout") {
            BufferedReader(InputStreamReader(process.inputStream)).forEachLine { stdout.put(it) }
            stdout.put(EOF)
        }
        thread(isDaemon = true, name = "sim-stderr") {
            BufferedReader(InputStreamReader(process.errorStream)).forEachLine {
                stderr.append(it).append('\n')
                if (it.contains("serving queue")) ready.countDown()
            }
        }
    }

    companion object {
        private const val EOF = "\u0000eof"
        private const val HELP_END = "  quit"

        /**
         * Starts a simulator on a new queue; returns once it consumes the queue.
         * [notUsingEvents] turns on the events the guide marks "(Not Using)"
         * (TeamMemberStateChanged), off in the strict default.
         */
        @JvmStatic
        @JvmOverloads
        fun start(queue: String = TestEnv.uniqueName("Connector1"), notUsingEvents: Boolean = false): Sim {
            val args = mutableListOf(TestEnv.simPath, "--broker", TestEnv.brokerUrl, "--queue", queue)
            if (notUsingEvents) {
                val model = ProcessBuilder(TestEnv.simPath, "--print-model").start()
                    .inputStream.bufferedReader().readText()
                    .replace("not_using_events = false", "not_using_events = true")
                val file = java.io.File.createTempFile("gcclient-sim-model", ".toml")
                file.deleteOnExit()
                file.writeText(model)
                args += listOf("--model", file.path)
            }
            val pb = ProcessBuilder(args)
            pb.environment()["RUST_LOG"] = "warn"
            val sim = Sim(queue, pb.start())
            if (!sim.ready.await(30, TimeUnit.SECONDS)) {
                sim.process.destroyForcibly()
                error("gcclient-sim did not start: ${sim.stderr}")
            }
            return sim
        }
    }

    /**
     * Runs one console command and returns what it printed. `help` follows
     * it as an end marker, because most commands print nothing on success.
     */
    @Synchronized
    fun command(line: String): List<String> {
        process.outputStream.write("$line\nhelp\n".toByteArray())
        process.outputStream.flush()
        val printed = mutableListOf<String>()
        while (true) {
            val l = stdout.poll(15, TimeUnit.SECONDS) ?: error("sim did not answer `$line`; stderr: $stderr")
            check(l != EOF) { "sim exited during `$line`; stderr: $stderr" }
            if (l == HELP_END) break
            printed += l
        }
        val output = printed.takeWhile { it != "commands:" }
        output.firstOrNull { it.startsWith("error:") }?.let { error("sim refused `$line`: $it") }
        return output
    }

    /** An inbound call from [from] to READY agent [agent]; returns the dialog id. */
    @JvmOverloads
    fun offer(agent: String, from: String, variables: Map<String, String> = emptyMap()): String {
        val vars = variables.entries.joinToString("") { (k, v) ->
            require(k.none(Char::isWhitespace) && v.none(Char::isWhitespace)) { "the console splits on spaces" }
            " $k=$v"
        }
        val line = command("offer $agent $from$vars").single { it.startsWith("dialog ") }
        return line.removePrefix("dialog ").trim()
    }

    /** The customer hangs up. */
    fun hangUp(dialogId: String) { command("hangup $dialogId") }

    /** Finesse goes out of service / back in service. */
    fun down() { command("down") }
    fun up() { command("up") }

    /** GC restarts: forgets destinations and sessions. */
    fun restart() { command("restart") }

    /** One line per agent: id, state, extension, session. */
    fun agents(): List<String> = command("agents")

    /** One line per call: dialog id, type, from, parties, variables. */
    fun calls(): List<String> = command("calls")

    override fun close() {
        runCatching {
            process.outputStream.write("quit\n".toByteArray())
            process.outputStream.flush()
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            process.waitFor(5, TimeUnit.SECONDS)
        }
    }
}
