package io.gcclient

import java.time.Duration

/**
 * Every failure of the library: checked in Java (`catch (GcException e)`),
 * one subclass per cause, each with the facts as getters. The message is a
 * sentence saying what happened and, where it matters, whether the command
 * may have been carried out.
 */
public sealed class GcException(message: String, cause: Throwable? = null) : Exception(sentence(message), cause) {
    /** An argument the protocol cannot carry (a `,` in a number); nothing was sent. */
    public class InvalidArgument internal constructor(
        message: String,
        public val command: String,
        public val argument: String,
        public val reason: String,
    ) : GcException(message)

    /** A setting that cannot work; the message names it. */
    public class Config internal constructor(message: String, cause: Throwable? = null) : GcException(message, cause)

    /** The broker did not confirm the command, or the connection failed. */
    public class Transport internal constructor(message: String) : GcException(message)

    /** GC said `System#OUT_OF_SERVICE` (Finesse unreachable); the command was not sent. */
    public class GcOutOfService internal constructor(message: String) : GcException(message)

    /** GC is not in service yet (or the broker connection is down); the command was not sent. */
    public class NotInService internal constructor(message: String, public val status: ConnectionStatus) : GcException(message)

    /** No answer within [after]: GC may or may not have carried the command out. */
    public class Timeout internal constructor(
        message: String,
        public val command: String,
        public val agent: String,
        public val after: Duration,
    ) : GcException(message)

    /** GC answered with an `Error` event: [error] says what the guide says about its code. */
    public class Gc internal constructor(
        message: String,
        public val agent: String,
        public val error: ErrorCodeInfo,
        public val event: Event,
    ) : GcException(message)

    /** The broker connection dropped while the command waited for its reply; its fate is unknown. */
    public class ConnectionLost internal constructor(message: String, public val command: String) : GcException(message)

    /** GC answered `State#RE_LOGIN`: the command was not carried out; the agent must log in again. */
    public class SessionLost internal constructor(
        message: String,
        public val command: String,
        public val agent: String,
    ) : GcException(message)

    /** GC answered with an event that is not a reply to this command. */
    public class UnexpectedReply internal constructor(
        message: String,
        public val command: String,
        public val agent: String,
        public val got: String,
    ) : GcException(message)

    /** The broker refused the STOMP login. */
    public class BrokerAuth internal constructor(message: String, public val broker: String) : GcException(message)

    /** The client is closed: every call after [GcClient.close] fails with this. */
    public class Closed internal constructor(message: String, cause: Throwable? = null) : GcException(message, cause)

    /** No broker answered within [after]. */
    public class BrokerUnreachable internal constructor(
        message: String,
        public val after: Duration,
        public val lastError: String,
    ) : GcException(message)

    /** A fault inside the library itself (a bug: please report it, with [cause]). */
    public class Internal internal constructor(message: String, cause: Throwable? = null) : GcException(message, cause)
}

/** "the client is closed" -> "The client is closed." */
private fun sentence(s: String): String {
    val t = s.trim()
    if (t.isEmpty()) return t
    // An identifier first (`event_buffer: ...`) keeps its spelling.
    val word = t.substringBefore(' ')
    val first = if (word.all { it in 'a'..'z' }) t.substring(0, 1).uppercase() + t.substring(1) else t
    return if (first.last() in ".!?") first else "$first."
}

internal fun closedError(cause: Throwable? = null) = GcException.Closed("the client is closed", cause)
