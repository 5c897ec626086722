"""Faster reading of the buffers uniffi's generated Python modules lift.

The generated stream slices a ctypes pointer and calls ``struct.unpack``
with a format string for every field, and each lift goes through a
generator-based context manager: about half of the cost of turning a reply
into its event. :func:`install` swaps in a stream over one ``bytes`` copy of
the buffer with precompiled ``struct`` readers, a one-step string reader
and a lift without the context manager. The wire format, the bounds checks
and the buffer's release are unchanged; ``tests/test_records.py`` runs every
kind of event through these readers.

A batch of notifications (``EventStream.next_batch*``) is lifted lazily, one
notification each time the consumer takes the next (:class:`Batch`): each
event is built, handed over and usually dropped before the next is built.
Lifting the whole batch into a list kept up to 512 events' objects alive at
once, and Python's cyclic collector then ran every few events and traversed
them (10-20% of a flood's CPU).

:func:`install_readers` puts the flat readers of ``_readers`` (one function
per record and enum, written by ``codegen/readers.py``) in place of
uniffi's readers of core's types.
"""

from __future__ import annotations

import contextlib
import ctypes
import struct
from typing import Any, Callable, Dict, Iterator, Tuple

_string_at = ctypes.string_at


def _reader(fmt: str) -> Callable[[Any, int], Tuple[Any, ...]]:
    return struct.Struct(fmt).unpack_from


_FORMATS = {"i8": ">b", "u8": ">B", "i16": ">h", "u16": ">H", "i32": ">i", "u32": ">I",
            "i64": ">q", "u64": ">Q", "float": ">f", "double": ">d"}


class Batch(Iterator[Any]):
    """The notifications of one native batch, read from the batch's bytes
    (copied when it arrived, the native buffer already freed) as they are
    taken. ``len()`` is the number not yet taken. A batch is consumed by one
    thread at a time, like the iterator that holds it."""

    __slots__ = ("_stream", "_left", "_read")

    def __init__(self, stream: Any, count: int, read: Callable[[Any], Any]) -> None:
        self._stream = stream
        self._left = count
        self._read = read

    def __len__(self) -> int:
        return self._left

    def __iter__(self) -> "Batch":
        return self

    def __next__(self) -> Any:
        left = self._left
        if left <= 0:
            raise StopIteration
        stream = self._stream
        try:
            item = self._read(stream)
        except BaseException:
            self._left = 0  # the rest cannot be found after a bad item
            raise
        self._left = left - 1
        if left == 1 and stream.offset != stream.len:
            raise _junk(stream)
        return item


def _junk(stream: Any) -> RuntimeError:
    # What uniffi's own lift raises.
    return RuntimeError(f"junk data left in buffer at end of lift {stream.len - stream.offset}")


def install(module: Any) -> None:
    """Patches one generated module (``gcclient._native.gcclient`` or
    ``gcclient_core``): each has its own copy of the runtime classes."""
    internal = module.InternalError
    base = module._UniffiRustBufferStream

    class Stream(base):  # type: ignore[misc, valid-type]
        def __init__(self, data: Any, len: int) -> None:  # noqa: A002 - generated name
            self.data = _string_at(data, len) if len else b""
            self.len = len
            self.offset = 0

        def read(self, size: int) -> bytes:
            o = self.offset
            end = o + size
            if end > self.len:
                raise internal("read past end of rust buffer")
            self.offset = end
            return self.data[o:end]

    def fixed(size: int, unpack: Callable[[Any, int], Tuple[Any, ...]]) -> Callable[[Any], Any]:
        def read(self: Any) -> Any:
            o = self.offset
            if o + size > self.len:
                raise internal("read past end of rust buffer")
            self.offset = o + size
            return unpack(self.data, o)[0]
        return read

    for name, fmt in _FORMATS.items():
        if hasattr(base, f"read_{name}"):
            setattr(Stream, f"read_{name}", fixed(struct.calcsize(fmt), _reader(fmt)))
    module._UniffiRustBufferStream = Stream

    i32 = _reader(">i")

    def read_string(buf: Any) -> str:
        o = buf.offset
        if o + 4 > buf.len:
            raise internal("read past end of rust buffer")
        size = i32(buf.data, o)[0]
        start = o + 4
        end = start + size
        if size < 0 or end > buf.len:
            raise internal("bad string length in rust buffer")
        buf.offset = end
        data: bytes = buf.data
        return data[start:end].decode("utf-8")

    module._UniffiFfiConverterString.read = staticmethod(read_string)

    def lift(cls: Any, rbuf: Any) -> Any:
        try:
            stream = Stream(rbuf.data, rbuf.len)
            value = cls.read(stream)
            if stream.offset != stream.len:
                raise _junk(stream)
            return value
        finally:
            rbuf.free()

    module._UniffiConverterRustBuffer.lift = classmethod(lift)

    batches = getattr(module, "_UniffiFfiConverterSequenceTypeNotification", None)
    if batches is not None:
        read_notification = module.gcclient_core._UniffiFfiConverterTypeNotification.read

        def lift_batch(cls: Any, rbuf: Any) -> Batch:
            try:
                stream = Stream(rbuf.data, rbuf.len)
            finally:
                rbuf.free()
            count = stream.read_i32()
            if count < 0:
                raise internal("Unexpected negative sequence length")
            if count == 0 and stream.len != stream.offset:
                raise _junk(stream)
            return Batch(stream, count, read_notification)

        batches.lift = classmethod(lift_batch)


class FlatReadError(Exception):
    """A buffer a flat reader refuses; the message is uniffi's for the case."""


#: uniffi's own readers of the converters the flat readers replaced.
ORIGINAL: Dict[str, Callable[[Any], Any]] = {}
_installed: Any = None


def install_readers(module: Any, readers: Any) -> None:
    """Makes the functions of ``readers`` (``_readers``) the ``read`` of
    ``module``'s (gcclient_core's) converters. Each reads from the bytes of
    the patched stream and moves its offset, refusing what uniffi's reader
    would refuse, with InternalError."""
    global _installed
    _installed = module
    internal = module.InternalError

    def wrap(flat: Callable[[bytes, int], Tuple[Any, int]]) -> Callable[[Any], Any]:
        def read(buf: Any) -> Any:
            try:
                value, end = flat(buf.data, buf.offset)
            except FlatReadError as e:
                raise internal(str(e)) from None
            except (struct.error, IndexError):
                raise internal("read past end of rust buffer") from None
            except UnicodeDecodeError:
                # Rust's strings are UTF-8: the buffer is cut short or corrupt.
                raise internal("a string cut short in rust buffer") from None
            except KeyError:
                raise internal("Raw enum value doesn't match any cases") from None
            if end > buf.len:
                raise internal("read past end of rust buffer")
            buf.offset = end
            return value
        return read

    for converter, flat in readers.READERS.items():
        cls = getattr(module, converter)
        ORIGINAL.setdefault(converter, cls.read)
        cls.read = staticmethod(wrap(flat))


@contextlib.contextmanager
def uniffis_own() -> Iterator[None]:
    """uniffi's own readers in place of the flat ones, all of them (uniffi's
    reader of a record calls the others through their converters); for the
    tests and ``bench/lift.py``."""
    module = _installed
    flat = {c: getattr(module, c).read for c in ORIGINAL}
    for c, read in ORIGINAL.items():
        getattr(module, c).read = staticmethod(read)
    try:
        yield
    finally:
        for c, read in flat.items():
            getattr(module, c).read = staticmethod(read)
