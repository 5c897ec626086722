package io.gcclient.support

import java.io.BufferedInputStream
import java.io.ByteArrayOutputStream
import java.net.Socket
import java.nio.charset.StandardCharsets
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * A GC that answers Hello (so the client is IN_SERVICE) and nothing else:
 * the slow or silent GC the simulator does not play. A plain STOMP 1.2
 * client on the broker; [commands] receives the JMS type of every other
 * command it swallowed.
 */
class SilentGc private constructor(private val socket: Socket) : AutoCloseable {
    val commands = LinkedBlockingQueue<String>()
    private val input = BufferedInputStream(socket.getInputStream())
    private val out = socket.getOutputStream()
    private val reader = Thread(::run, "silent-gc").apply { isDaemon = true }

    companion object {
        fun start(queue: String): SilentGc {
            val (host, port) = TestEnv.stomp.split(":")
            val gc = SilentGc(Socket(host, port.toInt()))
            gc.frame("CONNECT", mapOf("accept-version" to "1.2", "host" to "/"))
            check(gc.read()?.first == "CONNECTED") { "the broker refused the STOMP connection" }
            gc.frame("SUBSCRIBE", mapOf("id" to "1", "destination" to "/queue/$queue", "ack" to "auto"))
            gc.reader.start()
            return gc
        }
    }

    /** The next swallowed command's JMS type (`GetState#1001`), or null after [seconds]. */
    fun nextCommand(seconds: Long = 10): String? = commands.poll(seconds, TimeUnit.SECONDS)

    @Synchronized
    private fun frame(command: String, headers: Map<String, String>, body: String = "") {
        val text = buildString {
            append(command).append('\n')
            headers.forEach { (k, v) -> append(k).append(':').append(v).append('\n') }
            append('\n').append(body)
        }
        out.write(text.toByteArray(StandardCharsets.UTF_8))
        out.write(0)
        out.flush()
    }

    /** One frame: (command, headers), or null at the end of the stream. */
    private fun read(): Pair<String, Map<String, String>>? {
        val buf = ByteArrayOutputStream()
        while (true) {
            val b = input.read()
            if (b < 0) return null
            if (b == 0) break
            if (buf.size() == 0 && (b == '\n'.code || b == '\r'.code)) continue // heart-beats
            buf.write(b)
        }
        val text = buf.toString("UTF-8")
        val head = text.substringBefore("\n\n")
        val lines = head.lines()
        val headers = lines.drop(1).filter { ':' in it }
            .associate { it.substringBefore(':') to it.substringAfter(':') }
        return lines.first() to headers
    }

    private fun run() {
        try {
            while (true) {
                val (command, headers) = read() ?: return
                if (command != "MESSAGE") continue
                val type = headers["type"] ?: continue
                if (type.startsWith("Hello")) {
                    val reply = mutableMapOf("destination" to (headers["reply-to"] ?: continue))
                    headers["correlation-id"]?.let { reply["correlation-id"] = it }
                    frame("SEND", reply, "System#IN_SERVICE")
                } else if (!type.startsWith("Beat")) {
                    commands.add(type)
                }
            }
        } catch (_: java.io.IOException) {
            // closed
        }
    }

    override fun close() {
        socket.close()
        reader.join(5_000)
    }
}
