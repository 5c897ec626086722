package io.gcclient

import io.gcclient.internal.toPublic
import io.gcclient.internal.core.LogLevel
import io.gcclient.internal.LogRecord
import io.gcclient.internal.LogSink
import org.slf4j.Logger
import org.slf4j.LoggerFactory
import java.util.concurrent.ConcurrentHashMap

/**
 * Forwards the native library's log records to SLF4J. A Rust target
 * `gcclient::session::engine` logs as `gcclient.session.engine`; the level
 * forwarded is the most detailed one SLF4J enables for `gcclient` when the
 * first client connects (records below it are not even formatted natively).
 */
internal object NativeLogging {
    private val log: Logger = LoggerFactory.getLogger("io.gcclient.GcClient")
    private val loggers = ConcurrentHashMap<String, Logger>()

    // Passwords never reach native log records (the core keeps them in an
    // opaque Secret); this is the second line of defence for text written
    // by hand, e.g. a broker URL with credentials in it.
    private val secrets = Regex("(?i)(password|passcode|passwd|pwd)(\\s*[=:]\\s*)[^\\s,;&]+|(//[^/@\\s:]+:)[^/@\\s]+@")

    internal fun redact(message: String): String = secrets.replace(message) { m ->
        if (m.groups[1] != null) "${m.groupValues[1]}${m.groupValues[2]}***" else "${m.groupValues[3]}***@"
    }

    private val installed: Boolean by lazy {
        val root = LoggerFactory.getLogger("gcclient")
        val level = when {
            root.isTraceEnabled -> LogLevel.TRACE
            root.isDebugEnabled -> LogLevel.DEBUG
            root.isInfoEnabled -> LogLevel.INFO
            root.isWarnEnabled -> LogLevel.WARN
            root.isErrorEnabled -> LogLevel.ERROR
            else -> LogLevel.OFF
        }
        try {
            io.gcclient.internal.installLogSink(Sink, level)
            true
        } catch (e: io.gcclient.internal.GcException) {
            log.warn("native log records are not forwarded to SLF4J: {}", e.toPublic().message)
            false
        }
    }

    /** Installs the bridge once per process. */
    fun install() {
        installed
    }

    /** Private, so no public class of the jar names the internal LogSink. */
    private object Sink : LogSink {
        override fun log(record: LogRecord) = NativeLogging.log(record)
    }

    private fun log(record: LogRecord) {
        // Called from native threads: nothing may be thrown back into Rust.
        try {
            forward(record)
        } catch (e: VirtualMachineError) {
            throw e
        } catch (_: Throwable) {
        }
    }

    private fun forward(record: LogRecord) {
        val logger = loggers.computeIfAbsent(record.target) { LoggerFactory.getLogger(it.replace("::", ".")) }
        val message = redact(record.message)
        when (record.level) {
            LogLevel.TRACE -> logger.trace(message)
            LogLevel.DEBUG -> logger.debug(message)
            LogLevel.INFO -> logger.info(message)
            LogLevel.WARN -> logger.warn(message)
            LogLevel.ERROR -> logger.error(message)
            LogLevel.OFF -> {}
        }
    }
}
