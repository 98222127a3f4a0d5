"""Tell which encoding an export's bytes are in, and turn them into UTF-8.

Exports come as UTF-8 with or without a byte-order mark, UTF-16 (Google Ads, with a
BOM; some tools without one) or Windows-1252 (older Excel "CSV" on Windows). Binary
files and bytes that are text in none of these are refused with a clear error.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from leadkpi.exceptions import DataFileError

__all__ = ["detect", "decode", "check_text", "decode_mixed"]

_NOT_UTF8 = re.compile("[\udc80-\udcff]+")  # bytes kept by surrogateescape
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CHUNK = 1 << 24
_HEAD_BYTES = 1 << 18


def _fail(path: Path, problem: str, line: int | None = None) -> DataFileError:
    return DataFileError(str(path), problem, line=line)


def _utf16_without_bom(head: bytes) -> str | None:
    even, odd = head[0::2], head[1::2]
    nul_even, nul_odd = even.count(0), odd.count(0)
    if nul_odd > 0.3 * len(odd) and nul_even < 0.05 * len(even):
        return "utf-16-le"
    if nul_even > 0.3 * len(even) and nul_odd < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _is_utf8(data: memoryview, final: bool = True) -> bool:
    """Whether ``data`` is UTF-8 (``final=False``: it may end mid-character)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start : start + _CHUNK])
        decoder.decode(b"", final=final)
    except UnicodeDecodeError:
        return False
    return True


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def detect(path: Path, head: bytes, complete: bool) -> str:
    """Tell a file's encoding from its first bytes.

    A byte-order mark decides; else NUL bytes in alternate positions mean UTF-16;
    else UTF-8 when ``head`` is valid UTF-8 (it may end mid-character unless it is
    the ``complete`` file); else Windows-1252.

    Raises
    ------
    DataFileError
        For NUL bytes that are not UTF-16 (a binary file).

    Examples
    --------
    >>> detect(Path("x.csv"), "día;coste".encode("cp1252"), complete=True)
    'cp1252'
    >>> detect(Path("x.csv"), "día\tcoste".encode("utf-16-le"), complete=True)
    'utf-16-le'
    """
    bom = next((e for b, e in _BOMS if head.startswith(b)), None)
    if bom is not None:
        return bom
    if b"\x00" in head[:4096]:
        encoding = _utf16_without_bom(head[:4096])
        if encoding is None:
            raise _fail(path, "holds binary data (NUL bytes); expected a text file")
        return encoding
    return "utf-8" if _is_utf8(memoryview(head), final=complete) else "cp1252"


def decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, memoryview]:
    """Return the encoding used and the file's text as UTF-8 bytes (BOM removed).

    Parameters
    ----------
    path : Path
        The file (for messages).
    data : bytes
        Its bytes.
    encoding : str, optional
        Force this encoding; default: :func:`detect`. UTF-8 bytes are returned
        unchecked: the CSV parsers check them, and
        :func:`~leadkpi.io.text.read_text_table` starts again in Windows-1252 when a
        byte is not UTF-8.

    Raises
    ------
    DataFileError
        For binary data or bytes that are not text in the encoding.

    Examples
    --------
    >>> encoding, text = decode(Path("x.csv"), "\ufeffdía".encode("utf-16-le"), None)
    >>> encoding, bytes(text).decode("utf-8")
    ('utf-16-le', 'día')
    """
    view = memoryview(data)
    if encoding is None:
        encoding = detect(path, data[:_HEAD_BYTES], len(data) <= _HEAD_BYTES)
    codec = codecs.lookup(encoding).name
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom) and codec.startswith(bom_encoding.removesuffix("-sig")):
            view = view[len(bom) :]
    if codec in ("utf-8", "utf-8-sig"):  # checked as parsed (pyarrow or csv)
        return encoding, view
    try:
        text = bytes(view).decode(codec)
    except UnicodeDecodeError as exc:
        raise _fail(
            path,
            f"byte {exc.start} ({exc.object[exc.start : exc.start + 1]!r}) is not "
            f"{encoding} text; expected a UTF-8, UTF-16 or Windows-1252 text file",
        ) from None
    if (
        codec.startswith("utf-16")
        and text
        and not re.search(r"[\x09-\x7e]", text[:4096])
    ):
        raise _fail(path, f"decodes as {encoding} to no readable text; expected text")
    return encoding, memoryview(text.encode("utf-8"))


def check_text(path: Path, text: str) -> None:
    """Raise when decoded text holds control characters (binary data)."""
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise _fail(
            path,
            f"holds binary data (control character {bad.group()!r}); "
            "expected a text export",
            line,
        )


def decode_mixed(data: bytes) -> tuple[str, list[int]] | None:
    r"""Decode UTF-8 text in which some lines are Windows-1252 (a file pasted into).

    Exports are UTF-8 throughout, or Windows-1252 throughout; a UTF-8 file that
    someone appended lines to from an older tool holds both. Each run of bytes
    that is not UTF-8 is read as Windows-1252, the rest as UTF-8.

    Returns
    -------
    tuple of (str, list of int), or None
        The text and the 1-based lines holding bytes read as Windows-1252; None
        when the file holds no UTF-8 letter at all, or more runs of other bytes
        than UTF-8 letters (a Windows-1252 file: decode it whole).

    Examples
    --------
    >>> data = "día\n".encode() + "año\n".encode("cp1252")
    >>> decode_mixed(data)
    ('día\naño\n', [2])
    >>> decode_mixed("año\n".encode("cp1252")) is None
    True
    """
    text = data.decode("utf-8", errors="surrogateescape")
    letters = len(data) - len(text)  # the bytes UTF-8 letters take beyond one each
    lines: list[int] = []
    line, previous, runs = 1, 0, 0
    for run in _NOT_UTF8.finditer(text):  # one step per run of foreign bytes
        runs += 1
        if runs > letters:
            return None
        line += text.count("\n", previous, run.start())
        previous = run.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    if not letters:
        return None
    fixed = _NOT_UTF8.sub(
        lambda m: (
            m.group()
            .encode("utf-8", "surrogateescape")
            .decode("cp1252", errors="replace")
        ),
        text,
    )
    return fixed, lines
