#!/usr/bin/env python3
"""Makes uniffi's generated Kotlin read and write its two structures directly.

    direct_structures.py GENERATED_UNIFFI_KT...

Every call into Rust that returns data (a command's reply, a batch of
events, a string) returns a `RustBuffer` by value, and every such buffer is
handed back by value to be freed; every call at all passes a
`UniffiRustCallStatus` (a code and an error `RustBuffer`), which JNA writes
before the call and reads after it. JNA reads and writes a `Structure`'s
fields by reflection, one `Pointer.getValue`/`setValue` per field with a
switch over its class, plus a per-thread set guarding against recursion.
At 32 commands in flight JFR put C2 compiling that machinery
(`Pointer.getValue` four times, `Structure.<init>`, `Structure.read`) among
the longest compilations of the run (135-273 ms each, benches/NOTES.md),
and running it is part of every call.

This adds `read()` and `write()` overrides to both that move the fields
with typed accesses at their offsets: `RustBuffer` (`capacity: u64, len:
u64, data: *mut u8`) at 0, 8 and 16 on every platform; the status's code
at 0 and its buffer where JNA lays it out (`fieldOffset`, asked once per
status: each thread reuses one, see reuse_call_status.py). The layouts are
uniffi's, as the classes' own `@Structure.FieldOrder` state; JNA still
allocates and passes the structures.

The classes' text is pinned by Cargo.lock's uniffi; if it changes, this
fails the build rather than leave a structure half-patched.
"""

from pinned_text import rewrite_files

GENERATED = """\
@Structure.FieldOrder("capacity", "len", "data")
open class RustBuffer : Structure() {
    // Note: `capacity` and `len` are actually `ULong` values, but JVM only supports signed values.
    // When dealing with these fields, make sure to call `toULong()`.
    @JvmField var capacity: Long = 0
    @JvmField var len: Long = 0
    @JvmField var data: Pointer? = null
"""

DIRECT = GENERATED + """
    // gcclient (codegen/direct_structures.py): the three fields at their
    // offsets, not JNA's reflective field-by-field read and write.
    override fun read() {
        val p = pointer
        capacity = p.getLong(0)
        len = p.getLong(8)
        data = p.getPointer(16)
    }

    override fun write() {
        val p = pointer
        p.setLong(0, capacity)
        p.setLong(8, len)
        p.setPointer(16, data)
    }
"""

GENERATED_STATUS = """\
@Structure.FieldOrder("code", "error_buf")
internal open class UniffiRustCallStatus : Structure() {
    @JvmField var code: Byte = 0
    @JvmField var error_buf: RustBuffer.ByValue = RustBuffer.ByValue()
"""

DIRECT_STATUS = GENERATED_STATUS + """
    // gcclient (codegen/direct_structures.py): the code and the error
    // buffer's fields at their offsets, not JNA's reflection, before and
    // after every call.
    private val errorBufAt = fieldOffset("error_buf").toLong()

    override fun read() {
        val p = pointer
        code = p.getByte(0)
        val e = error_buf
        e.capacity = p.getLong(errorBufAt)
        e.len = p.getLong(errorBufAt + 8)
        e.data = p.getPointer(errorBufAt + 16)
    }

    override fun write() {
        val p = pointer
        p.setByte(0, code)
        val e = error_buf
        p.setLong(errorBufAt, e.capacity)
        p.setLong(errorBufAt + 8, e.len)
        p.setPointer(errorBufAt + 16, e.data)
    }
"""


if __name__ == "__main__":
    rewrite_files("direct_structures.py", __doc__, [
        ("RustBuffer", GENERATED, DIRECT),
        ("UniffiRustCallStatus", GENERATED_STATUS, DIRECT_STATUS),
    ])
