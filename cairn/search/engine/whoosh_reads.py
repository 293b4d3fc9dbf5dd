"""Reading Whoosh's compound segment files in place, without a copy per reader.

Whoosh maps a compound segment file with mmap, then wraps each part a reader opens (the
postings, the terms, the stored listings) in a `BufferFile`, whose `BytesIO` copies that part
into the heap. So every search thread's reader, in every web worker, held its own copy of
most of the index: at 100k listings a search process grew from about 90 to about 500 MiB.
Here the parts are read straight from the mapping, which the kernel shares between every
process on the node.

Plain (non-compound) segment files would avoid the copy too, but Whoosh opens some of them
lazily and deletes a merged segment's files at once, so a reader of the previous generation
could find a file gone; a mapped compound file stays readable until its reader closes."""

from __future__ import annotations

import os
from typing import Any

from whoosh.filedb import compound, structfile

_PEEK_BYTES = 512


class _MappedReader:
    """The read side of a binary file over a memoryview: seek, tell, read, readline, peek."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._at = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._at
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._at = max(start, end)
        return bytes(self._view[start:end])

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view)
        if size is not None and size >= 0:
            limit = min(limit, self._at + size)
        start = at = self._at
        while at < limit:  # look for the newline a block at a time, not in the whole rest
            block = bytes(self._view[at : min(at + 4096, limit)])
            cut = block.find(b"\n")
            if cut >= 0:
                at += cut + 1
                break
            at += len(block)
        self._at = max(start, at)
        return bytes(self._view[start:at])

    def peek(self, size: int = 0) -> bytes:
        """What the next read would give, without moving on. pickle.load (Whoosh reads each
        block's header with it) asks for a long look-ahead, which spares it a read() call
        per opcode; a short one is enough for those headers and copies little."""
        return bytes(self._view[self._at : self._at + min(max(size, 1), _PEEK_BYTES)])

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._at, os.SEEK_END: len(self._view)}[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        return self._at

    def close(self) -> None:
        self._view = memoryview(b"")

    def __iter__(self) -> Any:
        while line := self.readline():
            yield line


class MappedBufferFile(structfile.BufferFile):  # type: ignore[misc]
    """Whoosh's BufferFile, reading from the buffer it is given instead of a copy of it."""

    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        view = memoryview(buf)
        self._buf = view
        self._name = name
        self.file = _MappedReader(view)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> MappedBufferFile:
        return MappedBufferFile(self._buf[position : position + length], name=name or self._name)


def install() -> None:
    """Make Whoosh read compound segments in place (idempotent; process-wide).

    CompoundStorage.open_file builds its BufferFile through the module-level name
    whoosh.filedb.compound.BufferFile, so that name is replaced."""
    compound.BufferFile = MappedBufferFile
