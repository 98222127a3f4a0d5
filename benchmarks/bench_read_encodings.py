"""Benchmark: reading a UTF-8 export, the same with one Windows-1252 line, and the
same in Windows-1252 throughout.

Uses the synthetic CRM export of ``bench_read.py`` (``--rows`` rows, cached under
``benchmarks/.data/``) and writes two variants of it: one line about 60 % into the
file (far past the 256 KB the encoding is detected from) re-encoded in
Windows-1252, and the whole file in Windows-1252. For each it prints the best of
``--repeat`` times of :func:`leadkpi.io.canonical.read_canonical`, the encoding
reported, the warnings, and how many owner names read back exactly as written (an
export decoded in the wrong encoding turns ``Lucía`` into ``LucÃ­a``).

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/bench_read_encodings.py [--rows 300000]
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

from bench_read import DATA, generate


def variants(path: Path) -> dict[str, Path]:
    """The UTF-8 file, its one-foreign-line copy and its Windows-1252 copy."""
    mixed = path.with_name(path.stem + "_one_cp1252_line.csv")
    whole = path.with_name(path.stem + "_cp1252.csv")
    if not mixed.exists():
        data = path.read_bytes()
        at = data.index(b"\n", int(len(data) * 0.6)) + 1
        end = data.index(b"\n", at) + 1
        line = data[at:end].decode("utf-8").replace("jan", "Jürgen")
        mixed.write_bytes(data[:at] + line.encode("cp1252") + data[end:])
        whole.write_bytes(data.decode("utf-8").encode("cp1252"))
    return {"utf-8": path, "one cp1252 line": mixed, "cp1252": whole}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from leadkpi.io.canonical import read_canonical

    path = DATA / f"crm_leads_{args.rows}.csv"
    if not path.exists():
        print(f"generating {path} …", flush=True)
        generate(path, args.rows)
    files = variants(path)
    expected = None
    for name, file in files.items():
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = read_canonical(file, "leads", timezone="UTC", locale="es")
            best = min(best, time.perf_counter() - start)
        owners = result.table["owner"].value_counts()
        expected = owners if expected is None else expected
        exact = int(owners.reindex(expected.index).fillna(0).sum())
        notes = [w for w in result.warnings if "1252" in w]
        print(
            f"{name:16s} {file.stat().st_size / (1 << 20):6.1f} MiB  {best:6.2f} s  "
            f"encoding {result.encoding:8s}  owners as written {exact:,} of "
            f"{result.rows_loaded:,}  warnings: {notes[0][:90] if notes else 'none'}"
        )


if __name__ == "__main__":
    main()
