"""Tell which encoding an export's bytes are in, and turn them into UTF-8.

Exports come as UTF-8 with or without a byte-order mark, UTF-16 (Google Ads, with a
BOM; some tools without one) or Windows-1252 (older Excel "CSV" on Windows). Binary
files and bytes that are text in none of these are refused with a clear error. CRM
exports may carry stray NUL bytes inside rich-text cells (notes, descriptions pasted
from other tools): a file that is text but for a few NULs is read without them
(:func:`drop_nuls`), while a binary file (an image or a zip renamed ``.csv``) holds
other control bytes as well and is refused.
"""

from __future__ import annotations

import codecs
import re
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa

from leadkpi.exceptions import DataFileError, LeadKPIWarning

__all__ = [
    "detect",
    "decode",
    "check_text",
    "decode_mixed",
    "drop_nuls",
    "has_nul",
    "read_without_nuls",
    "utf16_to_utf8",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0b\x0e-\x1f\x7f]")
#: At most this share of a text file's first bytes may be stray NULs.
_NUL_SHARE = 0.05
_CHUNK = 1 << 24
_LINES = 4096  # lines checked at once for UTF-8 by decode_mixed
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
    r"""Tell a file's encoding from its first bytes.

    A byte-order mark decides; else NUL bytes in alternate positions mean UTF-16;
    a few NUL bytes in text that holds no other control byte are stray (they are
    left out of the decision); else UTF-8 when ``head`` is valid UTF-8 (it may end
    mid-character unless it is the ``complete`` file); else Windows-1252.

    Raises
    ------
    DataFileError
        For NUL bytes that are neither UTF-16 nor stray NULs in text (a binary
        file).

    Examples
    --------
    >>> detect(Path("x.csv"), "día;coste".encode("cp1252"), complete=True)
    'cp1252'
    >>> detect(Path("x.csv"), 'id,note\n1,"a\x00b"\n'.encode(), complete=True)
    'utf-8'
    >>> detect(Path("x.csv"), "día\tcoste".encode("utf-16-le"), complete=True)
    'utf-16-le'
    """
    bom = next((e for b, e in _BOMS if head.startswith(b)), None)
    if bom is not None:
        return bom
    if b"\x00" in head[:4096]:
        encoding = _utf16_without_bom(head[:4096])
        if encoding is not None:
            return encoding
        if not _stray_nuls(head):
            raise _fail(path, "holds binary data (NUL bytes); expected a text file")
        head = head.replace(b"\x00", b"")
    return "utf-8" if _is_utf8(memoryview(head), final=complete) else "cp1252"


def _stray_nuls(head: bytes) -> bool:
    """Whether the NULs of ``head`` are strays in text rather than binary data.

    Text with stray NULs has few of them and no other control byte; images,
    archives and office files hold many of both.
    """
    few = head.count(0) <= max(_NUL_SHARE * len(head), 4)
    return few and not _CONTROL_BYTES.search(head)


def has_nul(path: Path, skip: int = 0) -> bool:
    """Whether the file holds a NUL byte past its first ``skip`` bytes (read in
    blocks, never whole)."""
    with path.open("rb") as handle:
        handle.seek(skip)
        while block := handle.read(_CHUNK):
            if b"\x00" in block:
                return True
    return False


def drop_nuls(data: bytes) -> tuple[bytes, list[int]]:
    r"""Remove the NUL bytes of a text file that is not UTF-16.

    Returns
    -------
    tuple of (bytes, list of int)
        The bytes without NULs, and the 1-based lines that held them (line ends
        are untouched, so every other line keeps its number).

    Examples
    --------
    >>> drop_nuls(b'id,note\n1,"rich\x00 text"\n2,"x\x00\x00"\n')
    (b'id,note\n1,"rich text"\n2,"x"\n', [2, 3])
    """
    codes = np.frombuffer(data, dtype=np.uint8)
    nuls = np.flatnonzero(codes == 0)
    if not len(nuls):
        return data, []
    newlines = np.flatnonzero(codes == 10)
    lines = np.unique(np.searchsorted(newlines, nuls) + 1)
    return data.replace(b"\x00", b""), [int(n) for n in lines]


def read_without_nuls(path: Path, data: bytes | None = None) -> bytes:
    """The file's bytes without the stray NULs of rich-text cells, with one
    :class:`~leadkpi.exceptions.LeadKPIWarning` naming the lines that held them
    (``data``: its bytes, when already read)."""
    data, lines = drop_nuls(path.read_bytes() if data is None else data)
    if lines:
        shown = ", ".join(map(str, lines[:10])) + (", …" if len(lines) > 10 else "")
        warnings.warn(
            f"{path.name}: NUL bytes (stray characters that some CRMs export inside "
            f"rich-text cells) were dropped from {len(lines)} line(s): {shown}; "
            "check the text on them",
            LeadKPIWarning,
            stacklevel=3,
        )
    return data


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
        text = str(view, codec)  # no copy of the bytes first
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


def decode_mixed(data: bytes) -> tuple[bytes, list[int]] | None:
    r"""Turn UTF-8 bytes in which some lines are Windows-1252 into UTF-8.

    Exports are UTF-8 throughout, or Windows-1252 throughout; a UTF-8 file that
    lines were pasted into from an older tool holds both. Lines that are not
    UTF-8 are read as Windows-1252, the others as UTF-8. Blocks of lines are
    checked with pyarrow's UTF-8 validation, and the lines of a block that fails
    one by one.

    Returns
    -------
    tuple of (bytes, list of int), or None
        The UTF-8 bytes and the 1-based lines read as Windows-1252; None when most
        lines with letters beyond ASCII are not UTF-8 (a Windows-1252 file: decode
        it whole).

    Examples
    --------
    >>> data = "día\n".encode() + "año\n".encode("cp1252") + "niño\n".encode()
    >>> text, lines = decode_mixed(data)
    >>> text.decode(), lines
    ('día\naño\nniño\n', [2])
    >>> decode_mixed("año\n".encode("cp1252")) is None
    True
    """
    codes = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(codes == 10) + 1
    starts = np.concatenate([[0], ends[ends < len(data)]]).astype(np.int64)
    offsets = np.append(starts, len(data)).astype(np.int64)
    lines = pa.Array.from_buffers(
        pa.large_string(),
        len(starts),
        [None, pa.py_buffer(offsets), pa.py_buffer(data)],
    )
    wide = np.zeros(len(starts), dtype=bool)  # lines with a byte beyond ASCII
    wide[np.searchsorted(starts, np.flatnonzero(codes >= 0x80), side="right") - 1] = 1
    bad: list[int] = []
    for first in range(0, len(starts), _LINES):  # blocks of lines, most of them valid
        if _valid(lines.slice(first, _LINES)):
            continue
        block = np.flatnonzero(wide[first : first + _LINES]) + first
        bad += [int(i) for i in block if not _valid(lines.slice(i, 1))]
        if 2 * len(bad) > np.count_nonzero(wide[: first + _LINES]):
            return None  # most lines with letters so far are not UTF-8
    pieces, previous = [], 0
    for i in bad:  # one step per foreign line
        line = data[offsets[i] : offsets[i + 1]]
        pieces += [data[previous : offsets[i]], _cp1252(line).encode("utf-8")]
        previous = offsets[i + 1]
    pieces.append(data[previous:])
    return b"".join(pieces), [i + 1 for i in bad]


def _valid(lines: pa.Array) -> bool:
    """Whether every line of a large_string array is UTF-8."""
    try:
        lines.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _cp1252(line: bytes) -> str:
    return line.decode("cp1252", errors="replace")


def utf16_to_utf8(units: np.ndarray) -> np.ndarray | None:
    """UTF-16 code units as UTF-8 bytes, with numpy; None when some is a surrogate.

    Characters of the Basic Multilingual Plane (one unit each) take one, two or
    three bytes; each unit's bytes are written at its place in the output at once
    for the whole array. Surrogates (characters beyond it, or lone halves) are left
    to Python's codec, which knows pairs and refuses halves.

    Parameters
    ----------
    units : numpy.ndarray
        16-bit code units (any byte order).

    Returns
    -------
    numpy.ndarray or None
        The UTF-8 bytes (uint8), not copied again into a bytes object.

    Examples
    --------
    >>> units = np.frombuffer("día 1€".encode("utf-16-le"), dtype="<u2")
    >>> utf16_to_utf8(units).tobytes().decode("utf-8")
    'día 1€'
    >>> utf16_to_utf8(np.frombuffer("🙂".encode("utf-16-le"), dtype="<u2")) is None
    True
    """
    if not len(units) or int(units.max()) < 0x80:  # ASCII: one byte a unit
        return units.astype(np.uint8)
    units = units.astype(np.uint32)
    if np.any((units >= 0xD800) & (units < 0xE000)):
        return None
    size = 1 + (units >= 0x80).astype(np.uint8) + (units >= 0x800)
    ends = np.cumsum(size, dtype=np.int64)
    at = ends - size
    out = np.empty(int(ends[-1]), dtype=np.uint8)
    out[at] = np.where(
        size == 1, units, np.where(size == 2, 0xC0 | (units >> 6), 0xE0 | (units >> 12))
    )
    two, three = size == 2, size == 3
    out[at[two] + 1] = 0x80 | (units[two] & 0x3F)
    out[at[three] + 1] = 0x80 | ((units[three] >> 6) & 0x3F)
    out[at[three] + 2] = 0x80 | (units[three] & 0x3F)
    return out
