package io.gcclient.internal

import java.time.Duration
import io.gcclient.internal.GcException as Native
import io.gcclient.internal.core.KeyValue

/** The public exception for a failure of the uniffi layer. */
internal fun Native.toPublic(): io.gcclient.GcException = when (this) {
    is Native.InvalidArgument -> io.gcclient.GcException.InvalidArgument(detail, command, argument, reason)
    is Native.Config -> io.gcclient.GcException.Config(detail)
    is Native.Transport -> io.gcclient.GcException.Transport(detail)
    is Native.GcOutOfService -> io.gcclient.GcException.GcOutOfService(detail)
    is Native.NotInService -> io.gcclient.GcException.NotInService(detail, status.toPublic())
    is Native.Timeout -> io.gcclient.GcException.Timeout(detail, command, agent, Duration.ofMillis(afterMs))
    is Native.Gc -> io.gcclient.GcException.Gc(detail, agent, error.toPublic(), event.toPublic())
    is Native.ConnectionLost -> io.gcclient.GcException.ConnectionLost(detail, command)
    is Native.SessionLost -> io.gcclient.GcException.SessionLost(detail, command, agent)
    is Native.UnexpectedReply -> io.gcclient.GcException.UnexpectedReply(detail, command, agent, got)
    is Native.BrokerAuth -> io.gcclient.GcException.BrokerAuth(detail, broker)
    is Native.Closed -> io.gcclient.GcException.Closed(detail)
    is Native.BrokerUnreachable -> io.gcclient.GcException.BrokerUnreachable(detail, Duration.ofMillis(afterMs), lastError)
    is Native.Internal -> io.gcclient.GcException.Internal(detail)
    // Only blocking calls raise it, and they turn it into InterruptedException.
    is Native.Interrupted -> io.gcclient.GcException.Internal(detail)
}

internal fun Map<String, String>.toKeyValues(): List<KeyValue> = map { (k, v) -> KeyValue(k, v) }
