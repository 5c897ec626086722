package io.gcclient.internal

/** A command's per-call `timeout` as the native reply deadline (null: the config's requestTimeout). */
internal fun kotlin.time.Duration?.toTimeoutMs(): ULong? = this?.let {
    require(!it.isNegative()) { "timeout: must not be negative, got $it" }
    it.inWholeMilliseconds.toULong()
}

/** [toTimeoutMs] for Java's durations. */
internal fun java.time.Duration?.toTimeoutMs(): ULong? = this?.let {
    require(!it.isNegative) { "timeout: must not be negative, got $it" }
    it.toMillis().toULong()
}
