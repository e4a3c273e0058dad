"""Every file an export writes goes through :meth:`SafeFolder.begin`.

An export folder may already hold links someone planted (``labels -> /home/me/.ssh``, a
``labels/x.txt`` pointing at a file elsewhere), and a plain ``open()`` would write through them.
So below the export's root nothing is ever followed: each folder is opened relative to its
parent's descriptor with ``O_NOFOLLOW`` (created when missing), and a file is written to a new
temporary file in its folder (``O_CREAT | O_EXCL | O_NOFOLLOW``) and renamed over its name, so a
reader never sees half a file and a failed export leaves nothing behind. A link where a folder or
file of the export should be is refused with an error naming it. The root itself is the folder
the caller named, links and all.
"""

from __future__ import annotations

import io
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Iterator

from ..errors import ExportPathError

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class SafeFolder:
    """A folder files are written into without following any link below it."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._fds: dict[tuple[str, ...], int] = {(): os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)}

    def _parts(self, relative: str) -> tuple[str, ...]:
        parts = PurePosixPath(relative).parts
        if not parts or any(p in ("", ".", "..") or "/" in p or "\0" in p for p in parts) or parts[0] == "/":
            raise ExportPathError(f"refusing to write {relative!r}: not a name inside {self.root}")
        return parts

    def _refuse(self, parts: tuple[str, ...], what: str) -> ExportPathError:
        return ExportPathError(f"refusing to write through {self.root.joinpath(*parts)}: {what}; "
                               "remove it or export to a new folder")

    def _dir_fd(self, parts: tuple[str, ...]) -> int:
        """The descriptor of folder ``parts`` (made if missing), none of it a link."""
        fd = self._fds.get(parts)
        if fd is not None:
            return fd
        parent = self._dir_fd(parts[:-1])
        name = parts[-1]
        try:
            os.mkdir(name, 0o777, dir_fd=parent)
        except FileExistsError:
            pass
        try:
            fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
        except OSError:
            kind = _kind(parent, name)
            raise self._refuse(parts, f"it is {kind}, not a folder") from None
        self._fds[parts] = fd
        return fd

    def folder(self, relative: str) -> str:
        """Make sure folder ``relative`` exists (as a real folder); return ``relative``."""
        self._dir_fd(self._parts(relative))
        return relative

    def begin(self, relative: str, *, binary: bool = False, newline: str | None = None) -> PendingFile:
        """A new file that will become ``relative`` when committed (see :class:`PendingFile`)."""
        parts = self._parts(relative)
        dir_fd = self._dir_fd(parts[:-1])
        name = parts[-1]
        kind = _kind(dir_fd, name)
        if kind not in (None, "a file"):
            raise self._refuse(parts, f"it is {kind}")
        tmp = f".{name[:200]}.{secrets.token_hex(6)}.part"
        fd = os.open(tmp, _NEW_FILE_FLAGS, 0o666, dir_fd=dir_fd)
        raw = os.fdopen(fd, "wb")
        fh: IO = raw if binary else io.TextIOWrapper(raw, encoding="utf-8", newline=newline)
        return PendingFile(fh, dir_fd, tmp, name, self.root.joinpath(*parts))

    @contextmanager
    def open(self, relative: str, *, binary: bool = False, newline: str | None = None) -> Iterator[IO]:
        """Write ``relative``: committed when the block ends, removed if it raises."""
        pending = self.begin(relative, binary=binary, newline=newline)
        try:
            yield pending.file
        except BaseException:
            pending.abort()
            raise
        pending.commit()

    def write(self, relative: str, data: bytes | str) -> Path:
        with self.open(relative, binary=isinstance(data, bytes)) as fh:
            fh.write(data)
        return self.root / relative

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    def __enter__(self) -> SafeFolder:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class PendingFile:
    """A file being written under a temporary name in its folder."""

    def __init__(self, fh: IO, dir_fd: int, tmp: str, name: str, path: Path):
        self.file, self._dir_fd, self._tmp, self._name, self.path = fh, dir_fd, tmp, name, path

    def commit(self) -> Path:
        self.file.close()
        # the name is checked again: a link planted while the file was written is refused too
        # (``rename`` would replace the link itself, never write through it, but say so)
        kind = _kind(self._dir_fd, self._name)
        if kind not in (None, "a file"):
            self.abort()
            raise ExportPathError(f"refusing to write through {self.path}: it is {kind}; "
                                  "remove it or export to a new folder")
        os.replace(self._tmp, self._name, src_dir_fd=self._dir_fd, dst_dir_fd=self._dir_fd)
        return self.path

    def abort(self) -> None:
        if not self.file.closed:
            self.file.close()
        try:
            os.unlink(self._tmp, dir_fd=self._dir_fd)
        except OSError:
            pass


def _kind(dir_fd: int, name: str) -> str | None:
    try:
        mode = os.lstat(name, dir_fd=dir_fd).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a file"
    return "not a regular file"
