package io.gcclient.support

import java.io.IOException
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread

/**
 * A loopback TCP relay in front of the real broker: [cutAll] drops every
 * connection through it at once, as a network failure or a laptop's sleep
 * does, while the broker itself stays up.
 */
class TcpProxy(target: String) : AutoCloseable {
    private val upstream: InetSocketAddress = target.split(":").let { InetSocketAddress(it[0], it[1].toInt()) }
    private val server = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val links = ConcurrentLinkedQueue<Pair<Socket, Socket>>()

    /** Connections accepted so far. */
    val accepted = AtomicInteger()

    /** `host:port` to give the client. */
    val address: String get() = "127.0.0.1:${server.localPort}"

    init {
        thread(isDaemon = true, name = "proxy-accept") {
            while (!server.isClosed) {
                val client = try { server.accept() } catch (_: IOException) { break }
                val broker = try {
                    Socket().apply { connect(upstream, 5_000) }
                } catch (_: IOException) {
                    client.close(); continue
                }
                links += client to broker
                accepted.incrementAndGet()
                pump(client, broker)
                pump(broker, client)
            }
        }
    }

    private fun pump(from: Socket, to: Socket) = thread(isDaemon = true, name = "proxy-pump") {
        try {
            from.getInputStream().copyTo(to.getOutputStream(), 16 * 1024)
        } catch (_: IOException) {
        } finally {
            from.close()
            to.close()
        }
    }

    /** Closes every relayed connection; returns how many were open. */
    fun cutAll(): Int {
        val cut = generateSequence { links.poll() }.toList()
        // Counted before closing: closing one side ends the other's pump.
        val open = cut.count { (c, b) -> !c.isClosed && !b.isClosed }
        cut.forEach { (c, b) -> c.close(); b.close() }
        return open
    }

    override fun close() {
        server.close()
        cutAll()
    }
}
