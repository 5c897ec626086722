package io.gcclient

import io.gcclient.support.Sim
import io.gcclient.support.TestEnv
import io.gcclient.support.expect
import io.gcclient.support.withSilentGc
import io.gcclient.support.withSim
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.assertThrows
import java.io.DataInputStream
import java.io.File
import java.lang.management.ManagementFactory
import java.lang.reflect.Modifier
import java.util.concurrent.ExecutionException
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** What a Java CRM adapter team checks before it puts the library in production. */
@Timeout(60)
class JvmLibraryTest {
    private val classes = File(System.getProperty("gcclient.classes") ?: "target/classes")

    @Test
    fun `every class is Java 8 bytecode`() {
        val files = classes.walkTopDown().filter { it.name.endsWith(".class") }.toList()
        assertTrue(files.size > 50, "classes found in $classes: ${files.size}")
        val majors = files.groupBy { f ->
            DataInputStream(f.inputStream()).use { d ->
                check(d.readInt() == 0xCAFEBABE.toInt()) { "$f is not a class file" }
                d.readUnsignedShort()
                d.readUnsignedShort()
            }
        }
        assertEquals(setOf(52), majors.keys, "class major versions: ${majors.mapValues { it.value.take(3) }}")
    }

    @Test
    fun `the public package holds only the idiomatic API`() {
        val public = classes.resolve("io/gcclient").listFiles()!!.filter { it.name.endsWith(".class") }
            .map { Class.forName("io.gcclient." + it.name.removeSuffix(".class").replace('/', '.')) }
            .filter { Modifier.isPublic(it.modifiers) }
        assertTrue(public.any { it == GcClient::class.java })
        val leaked = public.filter { c ->
            c.name.contains("FfiConverter") || c.name.contains("Uniffi") || c.name.contains("RustBuffer")
        }
        assertEquals(emptyList<Class<*>>(), leaked)
        // No public signature names a type of the internal package, and no getter is mangled.
        for (c in public) for (m in c.methods) {
            // `name$gcclient` is how Kotlin compiles `internal` members: not callable as API.
            if (m.declaringClass.name.startsWith("io.gcclient.") && !m.isSynthetic && '$' !in m.name) {
                assertFalse(m.name.contains('-'), "mangled name ${c.name}.${m.name}")
                val types = listOf(m.returnType) + m.parameterTypes
                assertTrue(types.none { it.name.startsWith("io.gcclient.internal") }, "${c.name}.${m.name} exposes $types")
            }
        }
    }

    @Test
    fun `Java reads every value through plain getters with long and Duration`() {
        assertEquals(java.lang.Long.TYPE, Notification.Lagged::class.java.getMethod("getDropped").returnType)
        assertEquals(java.time.Duration::class.java, GcException.Timeout::class.java.getMethod("getAfter").returnType)
        assertEquals(java.time.Duration::class.java, GcException.BrokerUnreachable::class.java.getMethod("getAfter").returnType)
        assertEquals(Integer::class.java, CallInfo::class.java.getMethod("getParticipantsCount").returnType)
        assertEquals(Integer::class.java, AgentDetails::class.java.getMethod("getTotalTeams").returnType)
        assertEquals(java.time.Duration::class.java, GcConfig::class.java.getMethod("getRequestTimeout").returnType)
        assertEquals(EventKind::class.java, Event::class.java.getMethod("getKind").returnType)
        val config = GcConfig.builder("tcp://127.0.0.1:61613").requestTimeout(java.time.Duration.ofMillis(1500))
            .brokerLogin("crm", "broker-s3cret").build()
        assertEquals(java.time.Duration.ofMillis(1500), config.requestTimeout)
        assertFalse(config.toString().contains("broker-s3cret"), config.toString())
    }

    /**
     * Each thread reuses one uniffi call status (codegen/reuse_call_status.py):
     * a call after a failed one, and a call made while the status is taken,
     * must each start from success.
     */
    @Test
    fun `a call after a failed call on the same thread starts from a clean status`() {
        val threads = (1..4).map {
            Thread {
                repeat(50) { i ->
                    val e = assertThrows<GcException.Config> { GcConfig.fromToml("event_buffer = 0") }
                    assertTrue(e.message!!.contains("event_buffer"), e.message)
                    assertEquals(100 + i, GcConfig.fromToml("event_buffer = ${100 + i}").eventBuffer)
                }
            }
        }
        val failures = LinkedBlockingQueue<Throwable>()
        threads.forEach { t -> t.setUncaughtExceptionHandler { _, e -> failures.add(e) }; t.start() }
        threads.forEach { it.join() }
        failures.poll()?.let { throw it }
    }

    /** JNA's own, reflective, layout of uniffi's buffer and call status, to check the direct ones against. */
    @com.sun.jna.Structure.FieldOrder("capacity", "len", "data")
    open class ReflectiveBuffer : com.sun.jna.Structure() {
        @JvmField var capacity: Long = 0
        @JvmField var len: Long = 0
        @JvmField var data: com.sun.jna.Pointer? = null

        class ByValue : ReflectiveBuffer(), com.sun.jna.Structure.ByValue
    }

    @com.sun.jna.Structure.FieldOrder("code", "error_buf")
    class ReflectiveStatus : com.sun.jna.Structure() {
        @JvmField var code: Byte = 0
        @JvmField var error_buf: ReflectiveBuffer.ByValue = ReflectiveBuffer.ByValue()
    }

    private fun com.sun.jna.Structure.bytes(): ByteArray = pointer.getByteArray(0, size())

    private fun com.sun.jna.Structure.load(bytes: ByteArray) {
        assertEquals(size(), bytes.size, "${javaClass.name} and JNA's layout differ in size")
        pointer.write(0, bytes, 0, bytes.size)
        read()
    }

    private fun com.sun.jna.Structure.field(name: String): Any? = javaClass.getField(name).get(this)

    private fun com.sun.jna.Structure.setField(name: String, value: Any?) = javaClass.getField(name).set(this, value)

    /**
     * codegen/direct_structures.py gives uniffi's RustBuffer and call status
     * a read and a write at fixed offsets: they must move the same bytes as
     * JNA's reflective ones, both ways, in both generated packages.
     */
    @Test
    fun `uniffi's buffers and call statuses are read and written at the offsets JNA lays out`() {
        val data = com.sun.jna.Memory(16)
        val other = com.sun.jna.Memory(16)
        val buffers = listOf<() -> com.sun.jna.Structure>(
            { io.gcclient.internal.RustBuffer.ByValue() },
            { io.gcclient.internal.core.RustBuffer.ByValue() },
        )
        val statuses = listOf<() -> com.sun.jna.Structure>(
            { io.gcclient.internal.UniffiRustCallStatus() },
            { io.gcclient.internal.core.UniffiRustCallStatus() },
        )
        for (make in buffers + statuses) {
            val direct = make()
            val cls = generateSequence<Class<*>>(direct.javaClass) { it.superclass }
                .first { it.superclass == com.sun.jna.Structure::class.java }
            val patched = listOf("read", "write").all { runCatching { cls.getDeclaredMethod(it) }.isSuccess }
            assertTrue(patched, "${cls.name} is read by reflection: codegen/direct_structures.py did not run")
        }
        for (make in buffers) {
            val direct = make()
            direct.setField("capacity", 0x0102030405060708L)
            direct.setField("len", 0x1112131415161718L)
            direct.setField("data", data)
            direct.write()
            val reference = ReflectiveBuffer().apply { load(direct.bytes()) }
            assertEquals(0x0102030405060708L, reference.capacity)
            assertEquals(0x1112131415161718L, reference.len)
            assertEquals(data, reference.data)

            reference.capacity = 42
            reference.len = 7
            reference.data = other
            reference.write()
            direct.load(reference.bytes())
            assertEquals(42L, direct.field("capacity"))
            assertEquals(7L, direct.field("len"))
            assertEquals(other, direct.field("data"))
        }
        for (make in statuses) {
            val direct = make()
            val buf = direct.field("error_buf") as com.sun.jna.Structure
            direct.setField("code", 2.toByte())
            buf.setField("capacity", 0x0102030405060708L)
            buf.setField("len", 0x1112131415161718L)
            buf.setField("data", data)
            direct.write()
            val reference = ReflectiveStatus().apply { load(direct.bytes()) }
            assertEquals(2.toByte(), reference.code)
            assertEquals(0x0102030405060708L, reference.error_buf.capacity)
            assertEquals(0x1112131415161718L, reference.error_buf.len)
            assertEquals(data, reference.error_buf.data)

            reference.code = 1
            reference.error_buf.capacity = 42
            reference.error_buf.len = 7
            reference.error_buf.data = other
            reference.write()
            direct.load(reference.bytes())
            assertEquals(1.toByte(), direct.field("code"))
            assertEquals(42L, buf.field("capacity"))
            assertEquals(7L, buf.field("len"))
            assertEquals(other, buf.field("data"))
        }
    }

    @Test
    fun `close is idempotent and everything after it throws Closed`() = runBlocking<Unit> {
        Sim.start().use { sim ->
            val client = TestEnv.client(sim)
            val alice = client.agent("1001")
            alice.login("1234", "5001")
            client.close()
            client.close()
            assertEquals(ConnectionStatus.CLOSED, client.status)
            assertTrue(client.isClosed)
            expect<GcException.Closed> { alice.getState() }
            assertThrows<GcException.Closed> { alice.sync().getState() }
            val failed = assertThrows<ExecutionException> { alice.async().getState().get(10, TimeUnit.SECONDS) }
            assertTrue(failed.cause is GcException.Closed, "${failed.cause}")
            assertThrows<GcException.Closed> { alice.snapshot }
            assertThrows<GcException.Closed> { client.agent("1002") }
            assertThrows<GcException.Closed> { client.subscribe() }
            assertThrows<GcException.Closed> { client.addListener({}) }
            assertThrows<GcException.Closed> { client.destination }
            val e = assertThrows<GcException.Closed> { client.awaitInServiceBlocking(java.time.Duration.ofSeconds(1)) }
            assertEquals("The client is closed.", e.message)
        }
    }

    @Test
    fun `an interrupted blocking call throws InterruptedException`() = runBlocking<Unit> {
        // No GC on this queue: awaitInService would wait its full 30 s.
        GcClient.connect(TestEnv.config(TestEnv.uniqueName("nobody")).build()).use { client ->
            val started = System.nanoTime()
            Thread.currentThread().interrupt()
            assertThrows<InterruptedException> { client.awaitInServiceBlocking(java.time.Duration.ofSeconds(30)) }
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "the wait ended at the interrupt")
            Thread.interrupted()
            assertEquals(ConnectionStatus.WAITING_FOR_GC, client.status, "the client is still usable")
        }
    }

    @Test
    fun `an interrupted blocking command throws InterruptedException and the client stays usable`() {
        withSilentGc { gc, config ->
            // A long reply deadline: only the interrupt can end the wait early.
            GcClient.connectBlocking(config).use { client ->
                client.awaitInServiceBlocking(java.time.Duration.ofSeconds(10))
                val agent = client.agent("1001").sync()
                val caller = Thread.currentThread()
                val interrupter = Thread {
                    // Interrupt once GC has the command: the caller is then waiting in the library.
                    if (gc.nextCommand() != null) caller.interrupt()
                }
                interrupter.start()
                val started = System.nanoTime()
                assertThrows<InterruptedException> { agent.getState() }
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "the wait ended at the interrupt")
                assertFalse(Thread.currentThread().isInterrupted, "the flag is cleared, as by Thread.sleep")
                interrupter.join()
                // Interrupted before the call: nothing is sent.
                Thread.currentThread().interrupt()
                assertThrows<InterruptedException> { agent.makeReady() }
                assertEquals(null, gc.nextCommand(1), "nothing was sent")
                assertEquals(ConnectionStatus.IN_SERVICE, client.status)
            }
        }
    }

    @Test
    fun `a per-call timeout is the command's reply deadline, in every facade`() = runBlocking<Unit> {
        withSilentGc { gc, config ->
            // The config waits 30 s: only the per-call timeout can end these waits early.
            GcClient.connect(config).use { client ->
                client.awaitInService()
                val agent = client.agent("1001")
                val started = System.nanoTime()
                val blocking = assertThrows<GcException.Timeout> { agent.sync().getState(java.time.Duration.ofMillis(200)) }
                assertEquals(java.time.Duration.ofMillis(200), blocking.after)
                assertEquals("get_state", blocking.command)
                val suspending = expect<GcException.Timeout> { agent.makeNotReady(timeout = 300.milliseconds) }
                assertEquals(java.time.Duration.ofMillis(300), suspending.after)
                val future = assertThrows<ExecutionException> { agent.async().makeReady(java.time.Duration.ofMillis(100)).get() }
                assertTrue(future.cause is GcException.Timeout, "${future.cause}")
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "the per-call deadlines applied")
                assertEquals(listOf("GetState#1001", "MakeNotReady#1001", "MakeReady#1001"), List(3) { gc.nextCommand() })
                assertThrows<IllegalArgumentException> { agent.sync().makeReady(java.time.Duration.ofMillis(-1)) }
            }
        }
    }

    @Test
    fun `closing the client wakes a thread blocked in a command with Closed`() {
        withSilentGc { gc, config ->
            val client = GcClient.connectBlocking(config)
            client.awaitInServiceBlocking(java.time.Duration.ofSeconds(10))
            val failure = LinkedBlockingQueue<Throwable>()
            val caller = Thread {
                try {
                    client.agent("1001").sync().getState()
                } catch (e: Throwable) {
                    failure.add(e)
                }
            }
            caller.start()
            assertTrue(gc.nextCommand() != null, "GC got the command")
            client.close()
            val e = failure.poll(10, TimeUnit.SECONDS) ?: throw AssertionError("the blocked caller was not woken")
            assertTrue(e is GcException.Closed, "$e")
            caller.join()
        }
    }

    @Test
    fun `a listener throwing AssertionError does not stop delivery, and the failure is reported`() = withSim { _, client ->
        val failures = LinkedBlockingQueue<ListenerFailure>()
        client.addListenerFailureHandler { failures.add(it) }
        val states = LinkedBlockingQueue<AgentState>()
        val registration = client.addListener({ n ->
            val state = n.event?.agentState ?: return@addListener
            states.add(state)
            if (state == AgentState.NOT_READY) throw AssertionError("a listener bug")
        }, "1001")
        val alice = client.agent("1001")
        alice.login("1234", "5001")
        val failure = failures.poll(10, TimeUnit.SECONDS) ?: throw AssertionError("no failure reported")
        assertTrue(failure.error is AssertionError, "${failure.error}")
        assertTrue(failure.notification is Notification.GcEvent)
        alice.makeReady()
        while (true) {
            val s = states.poll(10, TimeUnit.SECONDS) ?: throw AssertionError("delivery stopped after the AssertionError")
            if (s == AgentState.READY) break
        }
        assertTrue(registration.isActive)
        registration.close()
    }

    @Test
    fun `twenty idle listeners share one delivery thread that sleeps until an event`() = withSim { _, client ->
        val registrations = (1..20).map { i -> client.addListener({}, "10${"%02d".format(i)}") }
        val threads = Thread.getAllStackTraces().keys.filter { it.name.startsWith("gcclient-events-") }
        assertEquals(1, threads.size, "${threads.map { it.name }}")
        val mx = ManagementFactory.getThreadMXBean()
        val before = mx.getThreadCpuTime(threads.single().id)
        // A measuring window, not a synchronisation: an idle client must not spin.
        Thread.sleep(1000)
        val used = mx.getThreadCpuTime(threads.single().id) - before
        assertTrue(used < TimeUnit.MILLISECONDS.toNanos(20), "idle delivery thread used ${used / 1000} µs of CPU in 1 s")
        registrations.forEach { it.close() }
    }

    @Test
    fun `commands as futures and blocking calls`() = withSim { sim, client ->
        val alice = client.agent("1001")
        val login = alice.async().login("1234", "5001").get(10, TimeUnit.SECONDS)
        assertEquals(AgentState.NOT_READY, login.agentState)
        assertEquals(AgentState.READY, alice.sync().makeReady().agentState)
        val failed = assertThrows<ExecutionException> { alice.async().makeReady().get(10, TimeUnit.SECONDS) }
        val gc = failed.cause as GcException.Gc
        assertEquals(ErrorCode.CF_INVALID_OBJECT_STATE, gc.error.code)
        assertTrue(gc.message!!.first().isUpperCase() && gc.message!!.endsWith("."), gc.message)
        val events = alice.subscribe()
        val dialog = sim.offer("1001", "5550100")
        val offer = events.awaitEvent(java.time.Duration.ofSeconds(10)) { (it.data as? EventData.NewInboundCall)?.call?.dialogId == dialog }
        val vars = (offer.data as EventData.NewInboundCall).call.callVariables
        assertThrows<UnsupportedOperationException> { (vars as MutableList<String>).add("x") }
        events.close()
    }

    @Test
    fun `Kotlin - awaitEvent times out with GcException_Timeout and events() subscribes when called`() = withSim { _, client ->
        val alice = client.agent("1001")
        val sub = alice.subscribe()
        val timeout = expect<GcException.Timeout> { sub.awaitEvent(100.milliseconds) { false } }
        assertEquals(java.time.Duration.ofMillis(100), timeout.after)
        sub.close()
        // Subscribed by the call, before the command: the reply's event is not missed.
        val events = alice.events()
        alice.login("1234", "5001")
        val first = kotlinx.coroutines.withTimeout(10.seconds) { events.first { it.agentState != null } }
        assertEquals(AgentState.NOT_READY, first.agentState)
        assertThrows<IllegalStateException> { runBlocking { events.first() } }
    }

    @Test
    fun `native log records reach SLF4J, without passwords`() = withSim { sim, client ->
        val alice = client.agent("1001")
        expect<GcException.Gc> { alice.login("wrong-s3cret-4711", "5001") }
        alice.login("1234", "5001")
        client.close()
        // Issue 24: the broker passcode, given in the URL (the test broker takes any login).
        TestEnv.client(sim, "tcp://gc:Broker-Pc-kt-55c2e0@${TestEnv.stomp}").close()
        val log = File(System.getProperty("org.slf4j.simpleLogger.logFile")).readText()
        assertTrue(Regex("(?m) gcclient\\.[a-z_.]+ - ").containsMatchIn(log), "no native record in the SLF4J log")
        // At TRACE: each event; at DEBUG: each command sent, the password-carrying ones included.
        assertTrue(log.contains("gcclient.session.engine - event "), "no TRACE record in the SLF4J log")
        assertTrue(log.contains("gcclient.command - sent login agent=1001"), "no command record in the SLF4J log")
        assertFalse(log.contains("wrong-s3cret-4711"), "a password reached the log")
        assertFalse(log.contains("Broker-Pc-kt-55c2e0"), "the broker passcode reached the log")
        assertEquals("tcp://crm:***@broker passcode=***", NativeLogging.redact("tcp://crm:pw1@broker passcode=pw2"))
    }
}
