"""Text for a terminal: control characters from file names and data made visible.

A file named ``"leads\\x1b]0;pwned\\x07.csv"`` or a cell holding an ANSI escape would,
printed as it is, retitle the terminal, move the cursor or hide the lines before it.
What leadkpi prints shows such characters as Python escapes (``\\x1b``) instead.
"""

from __future__ import annotations

import io
import re
from typing import TextIO

__all__ = ["printable", "one_line", "PrintableStream"]

#: C0 and C1 control characters (newline included) and DEL.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: The same, but newline: for text whose lines are meant as lines.
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def printable(text: object, *, keep_newlines: bool = False) -> str:
    r"""``text`` with its control characters written as escapes.

    Examples
    --------
    >>> printable("leads\x1b[2J.csv")
    'leads\\x1b[2J.csv'
    >>> printable("two\nlines"), printable("two\nlines", keep_newlines=True)
    ('two\\nlines', 'two\nlines')
    >>> printable("Martín, 50 €")
    'Martín, 50 €'
    """
    pattern = _CONTROL_BUT_NEWLINE if keep_newlines else _CONTROL
    return pattern.sub(_escape, str(text))


def one_line(text: object) -> str:
    r"""A message as one printable line: its lines joined with ``"; "``.

    Examples
    --------
    >>> one_line("config.yaml: 2 problems\n  - a\n  - b\x07")
    'config.yaml: 2 problems; - a; - b\\x07'
    """
    lines = printable(text, keep_newlines=True).splitlines()
    return "; ".join(line.strip() for line in lines if line.strip())


class PrintableStream(io.TextIOBase):
    r"""A text stream that writes to ``target`` with control characters escaped
    (line breaks kept).

    Examples
    --------
    >>> buffer = io.StringIO()
    >>> print("file\x1b]0;x\x07.csv", file=PrintableStream(buffer))
    >>> buffer.getvalue()
    'file\\x1b]0;x\\x07.csv\n'
    """

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self._target = target

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._target.write(printable(text, keep_newlines=True))
        return len(text)

    def flush(self) -> None:
        self._target.flush()
