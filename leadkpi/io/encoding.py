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

__all__ = ["decode", "check_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CHUNK = 1 << 24


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


def _is_utf8(data: memoryview) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, memoryview]:
    """Return the encoding used and the file's text as UTF-8 bytes (BOM removed).

    Parameters
    ----------
    path : Path
        The file (for messages).
    data : bytes
        Its bytes.
    encoding : str, optional
        Force this encoding; default: detected (BOM; UTF-16 from NUL bytes; UTF-8
        when the bytes are valid UTF-8; else Windows-1252).

    Raises
    ------
    DataFileError
        For binary data or bytes that are not text in the encoding.
    """
    view = memoryview(data)
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    )
    bom = next(((b, e) for b, e in boms if data.startswith(b)), None)
    detected = encoding is None
    if encoding is None:
        head = data[:4096]
        if bom is not None:
            encoding = bom[1]
        elif b"\x00" in head:
            encoding = _utf16_without_bom(head)
            if encoding is None:
                raise _fail(path, "holds binary data (NUL bytes); expected a text file")
        else:
            encoding = "utf-8" if _is_utf8(view) else "cp1252"
    codec = codecs.lookup(encoding).name
    if bom is not None and codec.replace("_", "-") in (bom[1], bom[1].split("-sig")[0]):
        view = view[len(bom[0]) :]
    if codec == "utf-8" and encoding != "cp1252":
        if not detected and not _is_utf8(view):
            raise _fail(path, f"is not valid {encoding} text; expected {encoding}")
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
