package io.gcclient.internal

// A command's per-call `timeout` as the native reply deadline in ms: 0 (for
// null) is the config's requestTimeout, so a zero deadline is sent as 1 ms.

internal fun kotlin.time.Duration?.toTimeoutMs(): ULong = when (this) {
    null -> 0uL
    else -> {
        require(!isNegative()) { "timeout: must not be negative, got $this" }
        inWholeMilliseconds.coerceAtLeast(1).toULong()
    }
}

internal fun java.time.Duration?.toTimeoutMs(): ULong = when (this) {
    null -> 0uL
    else -> {
        require(!isNegative) { "timeout: must not be negative, got $this" }
        toMillis().coerceAtLeast(1).toULong()
    }
}
