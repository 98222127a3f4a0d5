"""Mutation fuzzing of the readers over real export layouts (not run in CI).

Takes the sample company's vendor exports (``data/sample/``) and the export
fixtures (``tests/fixtures/exports/``), cuts each to its first rows, and for a
bounded time applies one random mutation at a time:

* a cell replaced by a value at the edges (dates far in the past or future,
  "end of time" dates, 2^63, ``inf``, ``NaN``, huge and control-character strings,
  quotes and delimiters);
* a line duplicated, deleted or cut short; bytes flipped or inserted (a stray
  Windows-1252 byte, a NUL);
* the file re-encoded (UTF-16, Windows-1252) or written as XLSX or Parquet.

Each mutant is read with :func:`leadkpi.read` (``profile="auto"``) and judged:
it loads (every row accounted for, no count beyond 2^53, no date outside the
plausible years), or raises a leadkpi error. Anything else (another exception, a
broken invariant) is a *finding*, printed with the file, the mutation and the
message; each distinct finding once. Findings are pinned as examples in
``tests/test_read_edges.py``.

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/fuzz_exports.py [--seconds 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Values at the edges that a mutated cell takes.
EDGES = (
    "9999-12-31", "4000-12-31", "0001-01-01", "3000-01-01", "2262-04-12",
    "1677-09-21", "12/31/9999", "31/12/9999", "Dec 31, 9999", "99991231",
    "9999-12-31 23:59:59", "2025-02-30", "9223372036854775808", "-9223372036854775809",
    "18446744073709551616", "1e308", "1e309", "9" * 400, "inf", "-inf", "Infinity",
    "NaN", "nan", "-0", "0x10", "1_000", "٣", "1,2,3", "1.234.567,89", "(1.5)",
    "x" * 100_000, "\x00", "\x1b[31m", "\u202e", "a\rb", '"', '""', "=1+1", "",
)  # fmt: skip
MUTATIONS = (
    "cell", "cell", "cell", "cell", "duplicate line", "delete line", "cut file",
    "flip byte", "cp1252 byte", "nul byte", "utf-16", "cp1252", "xlsx", "parquet",
)  # fmt: skip


def exports(rows: int) -> list[tuple[str, bytes]]:
    """(name, first ``rows`` lines) of each vendor export sample and fixture."""
    files = sorted((ROOT / "data" / "sample").glob("*.csv"))
    files += sorted((ROOT / "tests" / "fixtures" / "exports").rglob("*.csv"))
    out = []
    for path in files:
        lines = path.read_bytes().splitlines(keepends=True)
        out.append((str(path.relative_to(ROOT)), b"".join(lines[:rows])))
    return out


def _as_table(data: bytes) -> list[list[str]]:
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    text = data.decode("utf-16" if utf16 else "utf-8-sig", errors="replace")
    return list(csv.reader(io.StringIO(text, newline="")))


def _write_table(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def mutate(data: bytes, rng: random.Random) -> tuple[str, str, bytes]:
    """(mutation, what it did, new bytes); XLSX and Parquet are written later."""
    kind = rng.choice(MUTATIONS)
    lines = data.splitlines(keepends=True)
    if kind in ("xlsx", "parquet"):  # a cell at the edge, in another file type
        _, what, data = mutate_cell(data, rng)
        return kind, what, data
    if kind == "cell":
        return mutate_cell(data, rng)
    return mutate_bytes(kind, data, lines, rng)


def mutate_cell(data: bytes, rng: random.Random) -> tuple[str, str, bytes]:
    """One cell of a data row replaced by a value at the edges."""
    rows = _as_table(data)
    body = [i for i, r in enumerate(rows) if len(r) > 2][1:]
    if not body:
        return "cell", "no row", data
    i = rng.choice(body)
    j = rng.randrange(len(rows[i]))
    value = rng.choice(EDGES)
    rows[i][j] = value
    return "cell", f"row {i + 1} column {j + 1} = {value[:30]!r}", _write_table(rows)


def mutate_bytes(
    kind: str, data: bytes, lines: list[bytes], rng: random.Random
) -> tuple[str, str, bytes]:
    """A line duplicated, deleted or cut, a byte flipped or inserted, re-encoded."""
    if kind == "duplicate line":
        i = rng.randrange(len(lines))
        return kind, f"line {i + 1}", b"".join(lines[: i + 1] + lines[i:])
    if kind == "delete line":
        i = rng.randrange(len(lines))
        return kind, f"line {i + 1}", b"".join(lines[:i] + lines[i + 1 :])
    if kind == "cut file":
        at = rng.randrange(len(data))
        return kind, f"at byte {at}", data[:at]
    at = rng.randrange(len(data))
    if kind == "flip byte":
        new = bytes([rng.randrange(256)])
        return kind, f"byte {at} = {new!r}", data[:at] + new + data[at + 1 :]
    if kind in ("cp1252 byte", "nul byte"):
        new = b"\xe9" if kind == "cp1252 byte" else b"\x00"
        return kind, f"at byte {at}", data[:at] + new + data[at:]
    text = data.decode("utf-8", errors="replace")
    return kind, "whole file", text.encode(kind, errors="replace")


def write_mutant(folder: Path, name: str, kind: str, data: bytes) -> Path:
    """Write the mutant as CSV, or as an XLSX or Parquet of its cells."""
    stem = Path(name).stem
    if kind not in ("xlsx", "parquet"):
        path = folder / f"{stem}.csv"
        path.write_bytes(data)
        return path
    import pandas as pd

    rows = _as_table(data)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    if kind == "xlsx":
        import openpyxl
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = openpyxl.Workbook()
        for row in rows:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
        path = folder / f"{stem}.xlsx"
        book.save(path)
        return path
    header = [h or f"c{i}" for i, h in enumerate(rows[0])] if rows else ["c0"]
    header = [f"{h}.{i}" if header.count(h) > 1 else h for i, h in enumerate(header)]
    frame = pd.DataFrame(rows[1:], columns=header, dtype="str")
    path = folder / f"{stem}.parquet"
    frame.to_parquet(path, index=False)
    return path


def judge(path: Path) -> tuple[str, str]:
    """(outcome, detail): loaded, error, or a finding (crash / broken invariant)."""
    import numpy as np
    import pandas as pd

    from leadkpi import read
    from leadkpi.exceptions import LeadKPIError
    from leadkpi.io.limits import ReadLimits
    from leadkpi.schemas import table_spec

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = read(path)
    except LeadKPIError as exc:
        return "error", str(exc).splitlines()[0][:160]
    except Exception as exc:  # noqa: BLE001 - a finding, reported below
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return "CRASH", f"{type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
    if result.rows_read != result.rows_loaded + result.rows_rejected:
        return "BROKEN", "rows read != loaded + rejected"
    first, last = ReadLimits().years
    for column in table_spec(result.kind).columns:
        if column.name not in result.table:
            continue
        values = result.table[column.name]
        if column.kind == "count" and (values.abs() >= 2**53).any():
            return "BROKEN", f"{column.name} holds a count beyond 2^53"
        if column.kind in ("money", "number", "count", "rate"):
            numbers = pd.to_numeric(values, errors="coerce").astype("float64")
            if np.isinf(numbers).any():
                return "BROKEN", f"{column.name} holds an infinite number"
        if column.kind in ("date", "timestamp") and values.notna().any():
            years = values.dropna().dt.year
            if years.min() < first or years.max() > last:
                return "BROKEN", f"{column.name} holds a year outside {first}-{last}"
    return "loaded", f"{result.rows_loaded} loaded, {result.rows_rejected} rejected"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="time budget")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=40, help="lines kept per file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = exports(args.rows)
    tried: Counter[tuple[str, str]] = Counter()
    findings: dict[str, str] = {}
    stop = time.monotonic() + args.seconds
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        while time.monotonic() < stop:
            source, data = rng.choice(seeds)
            kind, what, mutant = mutate(data, rng)
            path = write_mutant(folder, source, kind, mutant)
            outcome, detail = judge(path)
            path.unlink()
            tried[kind, outcome] += 1
            if outcome in ("CRASH", "BROKEN"):
                key = detail.split(" (")[0] if outcome == "CRASH" else detail
                findings.setdefault(key, f"{source}: {kind} {what}")
    print(f"{sum(tried.values())} mutants of {len(seeds)} exports in {args.seconds:g}s")
    print(f"{'mutation':<16}{'loaded':>8}{'error':>8}{'CRASH':>8}{'BROKEN':>8}")
    for kind in sorted({k for k, _ in tried}):
        counts = [tried[kind, o] for o in ("loaded", "error", "CRASH", "BROKEN")]
        print(f"{kind:<16}" + "".join(f"{c:>8}" for c in counts))
    print(f"{len(findings)} distinct finding(s)")
    for detail, example in findings.items():
        print(f"- {detail}\n    e.g. {example}")


if __name__ == "__main__":
    main()
