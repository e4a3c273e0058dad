"""Which files DuckDB may read or write for a store.

A notebook's store reads whatever files its owner imports. A store that serves HTTP is locked
first (:meth:`FileAccess.lock`): DuckDB may then touch no file but the database itself and one
private staging folder (``mkdtemp``, mode 0700), so even a fragment of SQL that some future
route let through could not read, list or write a file, attach a database or install an
extension. The lock uses DuckDB's own settings, measured on DuckDB 2.0:
``allowed_directories`` + ``enable_external_access = false`` + ``lock_configuration = true``.
They apply to the whole database instance (every cursor, and every ``duckdb.connect`` of the
same file in the process), resolve symlinks and ``..`` before checking, and cannot be undone
while the file is open; ``register()`` of pandas/Arrow objects keeps working.

Everything the store reads through DuckDB's file readers therefore goes through a
:class:`Staging` scope: server-side temporary files are made inside the staging folder, and a
file from elsewhere (a notebook importing its own file after ``project.share()``) is hard-linked
into it for the length of the import (a link costs microseconds whatever the size), or copied
when it cannot be linked (another file system, or a file the process may not link).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _sql_str(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


class FileAccess:
    """The file policy of one store's DuckDB instance: open (a notebook) or locked (a server)."""

    def __init__(self, con):
        self._con = con
        self.folder: Path | None = None

    @property
    def locked(self) -> bool:
        return self.folder is not None

    def lock(self) -> None:
        """Confine DuckDB to the database file and a new private staging folder, for good."""
        if self.folder is not None:
            return
        # realpath: DuckDB compares resolved paths, and /tmp may itself be a link
        folder = Path(os.path.realpath(tempfile.mkdtemp(prefix="jupylabel-staging-")))
        os.chmod(folder, 0o700)
        self._con.execute(f"SET allowed_directories = [{_sql_str(str(folder) + os.sep)}]")
        self._con.execute("SET enable_external_access = false")
        self._con.execute("SET lock_configuration = true")
        self.folder = folder

    def temp_dir(self, prefix: str) -> Path:
        """A new private folder for a request's temporary files (inside the staging folder
        once locked, so DuckDB may read what is put there)."""
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.folder))

    @contextmanager
    def staging(self) -> Iterator[Staging]:
        """A scope for the files one import hands to DuckDB; they are removed at its end."""
        scope = Staging(self.folder)
        try:
            yield scope
        finally:
            scope.close()

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


class Staging:
    """Paths DuckDB may read during one import (see :class:`FileAccess`)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._made: list[str] = []

    def temp_file(self, suffix: str) -> tuple[int, str]:
        """A new temporary file, as ``(fd, path)`` open for writing; removed with the scope."""
        fd, path = tempfile.mkstemp(prefix="jupylabel-import-", suffix=suffix, dir=self.folder)
        self._made.append(path)
        return fd, path

    def readable(self, path: str | Path) -> str:
        """A path to ``path``'s content that DuckDB may read: the path itself unless the store
        is locked and the file lies outside the staging folder."""
        real = os.path.realpath(path)
        if self.folder is None or real.startswith(str(self.folder) + os.sep):
            return str(path)
        fd, staged = tempfile.mkstemp(prefix="jupylabel-read-", suffix=Path(path).suffix, dir=self.folder)
        os.close(fd)
        os.unlink(staged)
        self._made.append(staged)
        try:
            os.link(real, staged)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EACCES, errno.EMLINK, errno.ENOTSUP):
                raise
            shutil.copyfile(real, staged)
        return staged

    def scrub(self, message: str) -> str:
        """``message`` (a DuckDB error) without the paths of staged files, which name server
        folders a client has no business seeing."""
        for path in self._made:
            message = message.replace(path, "the file")
        if self.folder is not None:
            message = re.sub(re.escape(str(self.folder)) + r"[^\s\"']*", "the file", message)
        return message

    def close(self) -> None:
        for path in self._made:
            try:
                os.unlink(path)
            except OSError:
                pass
        self._made.clear()
