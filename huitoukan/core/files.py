"""Durable file writes: a file is complete under its name, or not there at all.

Data goes to a temporary name in the target's folder, is fsynced, renamed over the target
(`os.replace`, atomic on one file system), and the folder is fsynced so that the rename itself
survives a crash. A failure at any point leaves the target as it was and no temporary file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def fsync_folder(folder: Path | str) -> None:
    """Make a rename or a new file in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the data itself is already on disk
    finally:
        os.close(fd)


class StagedFile:
    """A temporary file being written; `commit(path)` puts it in place, otherwise it is dropped."""

    def __init__(self, folder: Path, prefix: str):
        fd, name = tempfile.mkstemp(dir=folder, prefix=prefix)
        self.path = Path(name)
        self.file: BinaryIO = os.fdopen(fd, "wb")
        self.committed = False

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def commit(self, target: Path | str) -> None:
        """fsync, rename over `target` (same file system), fsync the target's folder."""
        target = Path(target)
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.path, target)
        self.committed = True
        fsync_folder(target.parent)

    def discard(self) -> None:
        if not self.file.closed:
            self.file.close()
        if not self.committed:
            self.path.unlink(missing_ok=True)


@contextmanager
def staged_file(folder: Path | str, *, prefix: str = ".partial-") -> Iterator[StagedFile]:
    """A temporary file in `folder` for data whose final name may be known only once it is written.

    Leaving the block without `commit()`, or through an exception, removes the temporary file.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staged = StagedFile(folder, prefix)
    try:
        yield staged
    finally:
        staged.discard()


def write_atomic(path: Path | str, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (bytes, or chunks of bytes) to `path` so that it is all there or not at all."""
    path = Path(path)
    with staged_file(path.parent, prefix=f".{path.name}.") as staged:
        for chunk in [data] if isinstance(data, bytes | bytearray) else data:
            staged.write(chunk)
        staged.commit(path)


def append_durably(path: Path | str, text: str) -> None:
    """Append `text` to a log-like file and fsync it (and its folder when the file is new).

    An append, not a replace: writers that append concurrently (O_APPEND) never lose each
    other's lines, which a read-modify-rename of the whole file would.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with path.open("a", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    if new:
        fsync_folder(path.parent)
