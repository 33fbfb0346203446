"""Atomic file replacement for exports.

Why: an export that dies halfway (a bad unit, a full disk, Ctrl-C) must never
leave a truncated TMX where the user's previous good export was.  We write to a
temporary file in the same directory (so ``os.replace`` is a same-filesystem
rename, which POSIX and Windows both make atomic), fsync it, then swap it in.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


def _default_mode() -> int:
    """Permissions a plain ``open(path, "w")`` would give (0o666 minus umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class TargetError(OSError):
    """The output path is not something an export may replace (a device, a FIFO, a
    directory, a dangling symlink, an empty name); the message says which."""


def resolve_target(path: str | os.PathLike[str]) -> Path:
    """The regular file to (re)place for ``path``, or TargetError.

    A symlink is followed: the file it points to gets the new content and the
    link stays (replacing the link by a file would silently cut it). A path
    that exists must be a regular file: writing over ``/dev/null`` or a FIFO
    used to turn it into a plain file and report success.
    """
    if not str(path):
        raise TargetError("the output file name is empty")
    target = Path(path)
    if target.is_symlink():
        resolved = Path(os.path.realpath(target))
        if not resolved.exists():
            raise TargetError(f"{path} is a symlink to {resolved}, which does not exist")
        target = resolved
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise TargetError(f"the directory {target.parent} does not exist") from None
        return target
    if stat.S_ISDIR(info.st_mode):
        raise TargetError(f"{path} is a directory; give a file name")
    if not stat.S_ISREG(info.st_mode):
        raise TargetError(f"{path} is not a regular file (a device, FIFO or socket); refused")
    return target


def _fsync_dir(directory: Path) -> None:
    """Persist the rename itself; silently skipped where directories can't be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Yield a file to write; on success it atomically replaces ``path``.

    On any exception the temporary file is removed and an existing ``path`` is
    left byte-for-byte untouched; ``path`` must be a regular file, a new name
    or a symlink to a regular file (``resolve_target``).  ``mode`` is ``"wb"`` (default) or ``"w"``;
    text mode takes ``encoding`` (default UTF-8) and ``newline``.  The new
    file keeps the permissions of the file it replaces, or gets the usual
    umask-based ones, rather than ``mkstemp``'s private 0600.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_write mode must be 'wb' or 'w', not {mode!r}")
    target = resolve_target(path)
    directory = target.parent  # Path("out.tmx").parent is Path("."): never empty
    try:
        perms = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        perms = _default_mode()

    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        if mode == "wb":
            fh: IO[Any] = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding=encoding or "utf-8", newline=newline)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, perms)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(directory)
