#!/usr/bin/env python3
"""Makes uniffi's generated Kotlin reuse one call status per thread.

    reuse_call_status.py GENERATED_UNIFFI_KT...

Every call into Rust that uniffi's Kotlin makes (a blocking command, an
async command's completion, the release of each returned buffer) allocates a
`UniffiRustCallStatus`: a JNA `Structure`, that is two native `Memory`
blocks (the status and its nested buffer), each registered with JNA's
cleaner. With 32 commands in flight JFR put that allocation at about 28% of
the JVM's Java samples and the cleaner thread at another 12%
(benches/NOTES.md).

This rewrites the one helper all those calls go through,
`uniffiRustCallWithError`, to take the calling thread's status, reset to
success, instead of a new one. A call made while the thread's status is in
use (a nested call: an error's lift releases its buffer, or a callback from
Rust that calls back into it) gets a fresh status as before. What Rust reads
and writes is unchanged; JNA still writes the status before the call and
reads it after.

The helper's text is pinned by Cargo.lock's uniffi; if it changes, this
fails the build rather than leave a status unshared or half-patched.
"""

from pinned_text import rewrite_files

GENERATED = """\
private inline fun <U, E: kotlin.Exception> uniffiRustCallWithError(errorHandler: UniffiRustCallStatusErrorHandler<E>, callback: (UniffiRustCallStatus) -> U): U {
    var status = UniffiRustCallStatus()
    val return_value = callback(status)
    uniffiCheckCallStatus(errorHandler, status)
    return return_value
}
"""

REUSED = """\
// gcclient (codegen/reuse_call_status.py): one call status per thread,
// reset before each call, instead of a JNA Structure allocated per call.
private class UniffiCallStatusSlot {
    @JvmField val status = UniffiRustCallStatus()
    @JvmField var busy = false
}

private val uniffiCallStatusSlot: ThreadLocal<UniffiCallStatusSlot> =
    ThreadLocal.withInitial { UniffiCallStatusSlot() }

private inline fun <U, E: kotlin.Exception> uniffiRustCallWithError(errorHandler: UniffiRustCallStatusErrorHandler<E>, callback: (UniffiRustCallStatus) -> U): U {
    val slot = uniffiCallStatusSlot.get()
    if (slot.busy) {
        // A call made inside a call on this thread: its own status, as uniffi does.
        val status = UniffiRustCallStatus()
        val return_value = callback(status)
        uniffiCheckCallStatus(errorHandler, status)
        return return_value
    }
    slot.busy = true
    try {
        val status = slot.status
        status.code = UNIFFI_CALL_SUCCESS
        status.error_buf.capacity = 0
        status.error_buf.len = 0
        status.error_buf.data = null
        val return_value = callback(status)
        uniffiCheckCallStatus(errorHandler, status)
        return return_value
    } finally {
        slot.busy = false
    }
}
"""


if __name__ == "__main__":
    rewrite_files("reuse_call_status.py", __doc__, [("uniffiRustCallWithError", GENERATED, REUSED)])
