"""The files of one report, replaced together or not at all.

A report is three files side by side (``<name>.html``, ``.ipynb``, ``.json``). A
render writes them into a fresh hidden folder beside them, ``.<name>.<token>.tmp``,
and only when all three are complete moves them into place; if a move fails, the
ones already moved are put back, so readers see the old report or the new one, never
a mix. A render holds the lock of its output folder for its whole run (a second
render into the same month's folder is refused at once) and, holding it, removes
the hidden folders that a killed render left behind.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from leadkpi.exceptions import OutputError

try:  # POSIX; elsewhere renders are not locked against each other
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["locked", "staging", "write", "commit", "check_targets"]


def _cannot(action: str, where: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, FileExistsError | NotADirectoryError):
        reason = "a file is in the way, not a folder"
    return OutputError(f"cannot {action} {where}: {reason}")


@contextmanager
def locked(out: Path) -> Iterator[Path]:
    """Create the folder ``out`` if needed and hold its lock (one render at a time).

    The lock is the folder's own (``flock`` on it), so no lock file is left
    behind, and it is released when the process ends, however it ends.

    Raises
    ------
    OutputError
        ``out`` is a file, cannot be created or written, or another process is
        rendering a report into it.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = os.open(out, os.O_RDONLY)
    except OSError as exc:
        raise _cannot("write the report in", out, exc) from None
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputError(
                    f"another process is rendering a report into {out}; wait for "
                    "it to finish"
                ) from None
        yield out
    finally:
        os.close(handle)


def check_targets(paths: Iterable[Path]) -> None:
    """Refuse, before any work, a report file whose name is taken by a folder."""
    for path in paths:
        if path.is_dir():
            raise OutputError(
                f"{path} is a folder; the report writes a file there (move the "
                "folder away or pass another name or output folder)"
            )


@contextmanager
def staging(out: Path, name: str) -> Iterator[Path]:
    """A fresh hidden folder in ``out`` for report ``name``, removed on exit; the
    folders earlier renders left (killed ones) are removed first. Call it only
    while holding :func:`locked`."""
    for stale in out.glob(f".{name}.*.tmp"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
    folder = out / f".{name}.{secrets.token_hex(6)}.tmp"
    try:
        folder.mkdir()
    except OSError as exc:
        raise _cannot("write the report in", out, exc) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write(path: Path, content: bytes, target: Path) -> None:
    """Write ``content`` to the staged ``path``; a failure (a full disk) is an
    OutputError naming ``target``, the file the user asked for."""
    try:
        with open(path, "wb") as handle:
            handle.write(content)
    except OSError as exc:
        raise _cannot("write", target, exc) from None


def commit(moves: Mapping[Path, Path]) -> None:
    """Move each staged file onto its target, in order, all or none.

    Before the first move, every existing target is hard-linked (or copied) into
    the staging folder; if a move fails, the targets already replaced get their
    old file back (or are removed when there was none) and the error is raised as
    OutputError.
    """
    backups: dict[Path, Path | None] = {}
    for staged, target in moves.items():
        backup = staged.with_name(staged.name + ".old")
        if not target.exists():
            backups[target] = None
            continue
        try:
            try:
                os.link(target, backup)
            except OSError:  # a file system without hard links
                shutil.copy2(target, backup)
        except OSError as exc:
            raise _cannot("replace", target, exc) from None
        backups[target] = backup
    done: list[Path] = []
    try:
        for staged, target in moves.items():
            os.replace(staged, target)
            done.append(target)
    except OSError as exc:
        failed = target
        for replaced in reversed(done):
            backup = backups[replaced]
            if backup is None:
                replaced.unlink(missing_ok=True)
            else:
                os.replace(backup, replaced)
        raise _cannot("replace", failed, exc) from None
