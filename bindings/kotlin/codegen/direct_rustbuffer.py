#!/usr/bin/env python3
"""Makes uniffi's generated Kotlin read and write its `RustBuffer` directly.

    direct_rustbuffer.py GENERATED_UNIFFI_KT...

Every call into Rust that returns data (a command's reply, a batch of
events, a string) returns a `RustBuffer` by value, and every such buffer is
handed back by value to be freed. JNA reads and writes a `Structure`'s
fields by reflection, one `Pointer.getValue`/`setValue` per field with a
switch over its class, plus a per-thread set guarding against recursion.
At 32 commands in flight JFR put C2 compiling that machinery
(`Pointer.getValue` four times, `Structure.<init>`, `Structure.read`) among
the longest compilations of the run (135-273 ms each, benches/NOTES.md),
and running it is part of every call.

This adds `read()` and `write()` overrides to `RustBuffer` that move its
three fields with three typed accesses at their fixed offsets (two 64-bit
integers, then a pointer: 0, 8, 16 on every platform). The layout is
uniffi's `RustBuffer` (`capacity: u64, len: u64, data: *mut u8`), which the
class's own `@Structure.FieldOrder` states; JNA still allocates and passes
the structure.

The class's text is pinned by Cargo.lock's uniffi; if it changes, this
fails the build rather than leave the buffer half-patched.
"""
import sys
from pathlib import Path

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
    // gcclient (codegen/direct_rustbuffer.py): the three fields at their
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


def patch(path: Path) -> None:
    text = path.read_text()
    count = text.count(GENERATED)
    if count != 1:
        sys.exit(f"direct_rustbuffer.py: {path}: expected uniffi's RustBuffer once, "
                 f"found it {count} times (did uniffi change? update this script)")
    path.write_text(text.replace(GENERATED, DIRECT))


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for arg in sys.argv[1:]:
        patch(Path(arg))


if __name__ == "__main__":
    main()
