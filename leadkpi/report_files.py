"""The files of one report, replaced together or not at all.

A report is three files side by side (``<name>.html``, ``.ipynb``, ``.json``). A
render writes them into a fresh hidden folder beside them, ``.<name>.<token>.tmp``,
and only when all three are complete publishes them with one atomic step:

- the folder is renamed to ``.<name>.<token>.v`` (one version of the report);
- the link ``.<name>.current`` is switched to it by one ``rename``;
- the three names the reader uses are links through ``.<name>.current``
  (``<name>.html`` → ``.<name>.current/<name>.html``), made once and never changed.

So every name leads to the same version at every moment: a reader sees the old
report or the new one, never a mix, even if the render is killed at any point. The
version the link left is removed afterwards. Links are relative, so the folder can
be moved or copied whole; copying one file (to attach it to an e-mail) copies the
report itself.

Where links cannot be made (a file system or a Windows account without symbolic
links), the files are moved onto their names one by one instead, with every replaced
file put back if a move fails (a kill between two moves can then leave a mix).

A render holds the lock of its output folder for its whole run (a second render
into the same month's folder is refused at once) and, holding it, removes what a
killed render left behind: hidden ``.tmp`` folders and versions no link leads to.
"""

from __future__ import annotations

import glob
import os
import re
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

__all__ = ["locked", "staging", "write", "publish", "commit", "check_targets"]


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
    """A fresh hidden folder in ``out`` for report ``name``, removed on exit (unless
    :func:`publish` made it the current version). What earlier renders left (a
    killed render's folders, versions no link leads to) is removed first. Call it
    only while holding :func:`locked`."""
    _remove_leftovers(out, name)
    folder = out / f".{name}.{secrets.token_hex(6)}.tmp"
    try:
        folder.mkdir()
    except OSError as exc:
        raise _cannot("write the report in", out, exc) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pointer(out: Path, name: str) -> Path:
    return out / f".{name}.current"


def _remove_leftovers(out: Path, name: str) -> None:
    current = _current_version(out, name)
    version = re.compile(rf"\.{re.escape(name)}\.[0-9a-f]{{12}}\.v")
    stale_ones = [
        *out.glob(f".{glob.escape(name)}.*.tmp"),
        *(p for p in out.glob(".*.v") if version.fullmatch(p.name)),
    ]
    for stale in stale_ones:
        if stale.name == current:
            continue
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _current_version(out: Path, name: str) -> str | None:
    """The name of the version folder ``.<name>.current`` leads to, if any."""
    try:
        return os.readlink(_pointer(out, name))
    except OSError:
        return None


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


def _unlink_dangling(out: Path, name: str) -> None:
    """Remove the links through ``.<name>.current`` that the current version has no
    file for (a PDF an earlier render wrote and this one did not)."""
    prefix = f"{_pointer(out, name).name}/"
    for link in out.glob(f"{glob.escape(name)}.*"):
        if link.is_symlink() and not link.exists():
            if os.readlink(link).startswith(prefix):
                link.unlink(missing_ok=True)


def publish(stage: Path, name: str, targets: Mapping[str, Path]) -> None:
    """Make the files staged in ``stage`` the report, in one atomic step.

    Parameters
    ----------
    stage : Path
        The folder :func:`staging` gave, holding every file of ``targets``.
    name : str
        The report's name, as given to :func:`staging`.
    targets : mapping
        File name in ``stage`` → the path the reader uses (all in one folder);
        in the order they are replaced where links cannot be made (the report
        itself last).

    Raises
    ------
    OutputError
        A step failed; the older report, if any, is still the one every name
        leads to.
    """
    out = stage.parent
    token = stage.name[len(name) + 2 : -len(".tmp")]
    links = out / f".{name}.{token}.links.tmp"
    try:
        links.mkdir()
        try:
            os.symlink(f".{name}.{token}.v", links / "current")
        except (OSError, NotImplementedError):
            commit({stage / file: target for file, target in targets.items()})
            return
        previous = _current_version(out, name)
        version = out / f".{name}.{token}.v"
        try:
            os.rename(stage, version)
            os.replace(links / "current", _pointer(out, name))  # the switch
        except OSError as exc:
            raise _cannot("replace", out / name, exc) from None
        moves = {}
        for file, target in targets.items():
            text = f"{_pointer(out, name).name}/{file}"
            if target.is_symlink() and os.readlink(target) == text:
                continue
            os.symlink(text, links / file)
            moves[links / file] = target
        commit(moves)  # once: the first render in this layout
        _unlink_dangling(out, name)  # e.g. the PDF of an earlier render
        if previous and previous != version.name:
            shutil.rmtree(out / previous, ignore_errors=True)
    except OSError as exc:
        raise _cannot("replace", out / name, exc) from None
    finally:
        shutil.rmtree(links, ignore_errors=True)
