"""Reading a config's YAML: bounded, strict, and with the line of every key.

A config is small, so what is not small is refused before it can hang a command: a
file over :data:`MAX_BYTES`, nesting deeper than :data:`MAX_DEPTH`, or aliases that
expand to more than :data:`MAX_NODES` values (the "billion laughs"). A key given twice
in one mapping is refused too (YAML would keep the last one silently). Every key's
line is kept, so that a setting can be named by file, line and key path.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leadkpi.exceptions import ConfigError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "YamlFile", "read_yaml"]

#: Largest config file read (256 KiB; a real one is a few KiB, and the YAML parser
#: needs about a second for every hundred KiB).
MAX_BYTES = 256 * 1024
#: Deepest nesting of mappings and lists (a real config nests five or six levels).
MAX_DEPTH = 32
#: Most values the document may hold once its aliases are expanded.
MAX_NODES = 100_000

Path_ = tuple[Hashable, ...]


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing nesting deeper than :data:`MAX_DEPTH`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def fetch_flow_collection_start(self, token_class: type) -> None:
        # ``[[[[…`` is refused while scanning: PyYAML's scanner slows down
        # quadratically with the open brackets before the composer sees them
        if self.flow_level >= MAX_DEPTH:
            raise _TooDeep(self.get_mark())
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@dataclass(frozen=True)
class YamlFile:
    """A parsed config file: its data and the line of each key path.

    Parameters
    ----------
    path : Path
        The file.
    data : object
        The document as Python values (None for an empty file).
    lines : mapping
        Key path (mapping keys as written, list positions as ints) → 1-based line.
    problems : tuple of (int, tuple, str)
        Problems found while reading that are not fatal: ``(line, key path,
        predicate)``, such as a key given twice.
    """

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: tuple[tuple[int, Path_, str], ...] = ()


def _line(mark: yaml.Mark | None) -> int | None:
    return None if mark is None else mark.line + 1


def _fail(path: Path, message: str, line: int | None = None) -> ConfigError:
    where = f"config {path}" + ("" if line is None else f" line {line}")
    return ConfigError(f"{where}: {message}")


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _expanded_size(root: yaml.Node, path: Path) -> tuple[int, int]:
    """How many values the document holds with every alias expanded, and without.

    Counted once per distinct node (aliases share their node), so a bomb is measured
    without being expanded; a node that contains itself is refused.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_:
            raise _fail(
                path,
                "an alias refers to a node that contains it (a loop)",
                _line(node.start_mark),
            )
        open_.add(key)
        total = 1 + sum(size(child) for child in _children(node))
        open_.discard(key)
        sizes[key] = total = min(total, MAX_NODES + 1)
        return total

    return size(root), len(sizes)


def _record(
    node: yaml.Node, at: Path_, lines: dict[Path_, int], problems: list
) -> None:
    """Record the line of every key under ``node``; note keys given twice."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag.endswith(":merge"):
                continue
            line = key.start_mark.line + 1
            if key.value in seen:
                problems.append(
                    (
                        line,
                        (*at, key.value),
                        f"is given twice (lines {seen[key.value]} "
                        f"and {line}); keep one",
                    )
                )
            seen[key.value] = line
            lines.setdefault((*at, key.value), line)
            _record(value, (*at, key.value), lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.setdefault((*at, index), item.start_mark.line + 1)
            _record(item, (*at, index), lines, problems)


def _text(path: Path) -> str:
    if path.is_dir():
        raise _fail(path, "is a folder; expected a leadkpi.yaml file")
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} not found; pass --config PATH") from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise _fail(path, f"cannot be read ({reason.lower()})") from None
    if len(raw) > MAX_BYTES:
        raise _fail(
            path,
            f"is larger than {MAX_BYTES // 1024:,} KiB; a config is a short "
            "YAML file (is this the right file?)",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        raise _fail(
            path, f"is not UTF-8 text (byte 0x{byte}); save it as UTF-8", line
        ) from None


def read_yaml(path: str | os.PathLike[str]) -> YamlFile:
    """Read a config file as YAML, within bounds, with the line of each key.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    YamlFile

    Raises
    ------
    ConfigError
        When the file is missing, a folder, unreadable, not UTF-8, too large, not
        valid YAML, nested too deeply or expanding too far; the message names the
        file and, where there is one, the line.

    Examples
    --------
    >>> config = read_yaml("leadkpi.yaml")
    >>> config.data["currency"], config.lines[("currency",)]
    ('EUR', 5)
    >>> config.lines[("sources", "spend", 1, "profile")]  # the Microsoft Ads one
    24
    """
    path = Path(path)
    text = _text(path)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        raise _fail(
            path,
            f"holds a control character (#x{exc.character:04x}) that YAML does not "
            "allow",
            text[: exc.position].count("\n") + 1,
        ) from None
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlFile(path, None)
        expanded, written = _expanded_size(root, path)
        if expanded > max(MAX_NODES, written):  # what the file spells out is bounded
            raise _fail(
                path,
                f"expands to more than {MAX_NODES:,} values through its "
                "aliases (&anchor / *alias); write the settings out instead",
                _line(root.start_mark),
            )
        lines: dict[Path_, int] = {}
        problems: list[tuple[int, Path_, str]] = []
        _record(root, (), lines, problems)
        data = loader.construct_document(root)
    except _TooDeep as exc:
        raise _fail(
            path,
            f"nests more than {MAX_DEPTH} levels deep; a config needs a few",
            _line(exc.mark),
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise _fail(path, f"not valid YAML: {problem}", _line(mark)) from None
    except yaml.YAMLError as exc:
        raise _fail(path, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return YamlFile(path, data, lines, tuple(problems))
