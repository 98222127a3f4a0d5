"""Time and memory of rendering a report: kernel start-up, execution, HTML export.

Each run renders the notebook with :func:`leadkpi.report.render` in a fresh Python
process, so that the kernel is that process's only child and its peak resident memory
can be read with ``getrusage(RUSAGE_CHILDREN)`` once it has exited. One warm-up run
(disk caches, bytecode) is made first and not counted.

Run on demand, not by pytest::

    python benchmarks/bench_report.py --sample              # the bundled sample data
    python benchmarks/bench_report.py --leads 1000000       # a generated dataset
    python benchmarks/bench_report.py --leads 1000000 --format parquet
    python benchmarks/bench_report.py --notebook notebooks/monthly_report.ipynb \\
        --param month=2026-10 --param lang=es --runs 5
    python benchmarks/bench_report.py --leads 300 --runs 1 --warmup 0  # a smoke run

Generated datasets are kept in ``benchmarks/.data/`` (``$LEADKPI_BENCH_DATA`` when
set); a fresh clone generates them on first use with ``leadkpi sample-data``.

Other scripts can import :func:`bench` and :func:`format_results`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_NOTEBOOK = ROOT / "notebooks" / "monthly_report.ipynb"
SAMPLE_CONFIG = ROOT / "leadkpi.yaml"
#: Generated datasets are kept here between runs (ignored by git).
DATA_CACHE = ROOT / "benchmarks" / ".data"

#: Columns printed, in order; every run's dict has them.
COLUMNS = (
    "total_s",
    "kernel_startup_s",
    "execution_s",
    "load_s",
    "compute_s",
    "kernel_shutdown_s",
    "export_s",
    "kernel_peak_mb",
    "render_peak_mb",
    "process_s",
)

# Runs in the child process: render once, then report timings and peak memory.
_WORKER = """
import json, resource, sys
from leadkpi.report import render
spec = json.loads(sys.argv[1])
result = render(spec["notebook"], spec["parameters"], spec["output_dir"],
                name=spec["name"], kernel_name=spec["kernel_name"], progress=False,
                cwd=spec["cwd"])
import nbformat
nb = nbformat.read(result.notebook, as_version=4)
code = [c for c in nb.cells if c.cell_type == "code"]
tags = [c.metadata.get("tags", []) for c in code]
after = [i for i, t in enumerate(tags)
         if "injected-parameters" in t or "parameters" in t]
first = max(after) + 1 if after else 0
seconds = [c.metadata.get("papermill", {}).get("duration") or 0.0 for c in code]
cells = sorted(
    ((round(s, 3), c.source.strip().splitlines()[0][:60] if c.source.strip() else "")
     for s, c in zip(seconds, code)), reverse=True)[:5]
print(json.dumps({
    "timings": {**result.timings,
                "load_s": round(sum(seconds[first:first + 1]), 3),
                "compute_s": round(sum(seconds[first + 1:]), 3)},
    "slowest_cells": cells,
    "kernel_maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "render_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def _mb(maxrss: int) -> float:
    """``ru_maxrss`` in MiB (it is KiB on Linux, bytes on macOS)."""
    return maxrss / 2**20 if sys.platform == "darwin" else maxrss / 2**10


def render_once(
    notebook: str | Path,
    parameters: Mapping[str, Any],
    output_dir: str | Path,
    *,
    name: str = "bench",
    cwd: str | Path | None = None,
    kernel_name: str | None = None,
) -> dict[str, float]:
    """Render once in a fresh process; return its timings and peak memory.

    Returns
    -------
    dict
        ``total_s, kernel_startup_s, execution_s, kernel_shutdown_s, export_s``
        (from the render), ``load_s`` (the first cell after the parameters: imports
        and loading the data) and ``compute_s`` (the cells after it), both from
        papermill's cell durations and both part of ``execution_s``;
        ``slowest_cells`` (the five slowest code cells: seconds, first line),
        ``kernel_peak_mb`` (peak RSS of the kernel process), ``render_peak_mb`` (peak
        RSS of the process running papermill and nbconvert) and ``process_s`` (wall
        time of the child process, Python start-up and imports included).
    """
    spec = {
        "notebook": str(notebook),
        "parameters": dict(parameters),
        "output_dir": str(output_dir),
        "name": name,
        "cwd": None if cwd is None else str(cwd),
        "kernel_name": kernel_name,
    }
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    process_s = time.perf_counter() - start
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no error output"]
        raise RuntimeError(f"render of {notebook} failed: {tail[0]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        **report["timings"],
        "slowest_cells": report["slowest_cells"],
        "kernel_peak_mb": round(_mb(report["kernel_maxrss"]), 1),
        "render_peak_mb": round(_mb(report["render_maxrss"]), 1),
        "process_s": round(process_s, 3),
    }


def bench(
    notebook: str | Path,
    parameters: Mapping[str, Any],
    runs: int = 3,
    *,
    warmup: int = 1,
    output_dir: str | Path | None = None,
    cwd: str | Path | None = None,
    kernel_name: str | None = None,
) -> list[dict[str, float]]:
    """Render ``notebook`` ``warmup + runs`` times; return the measured runs.

    Parameters
    ----------
    notebook : path
        The notebook to render.
    parameters : mapping
        Parameters injected into it.
    runs : int
        Measured runs.
    warmup : int
        Runs made first and discarded.
    output_dir : path, optional
        Where the reports go; default: a temporary folder removed afterwards.
    cwd, kernel_name
        Passed to :func:`leadkpi.report.render`.

    Returns
    -------
    list of dict
        One dict per measured run, with ``run`` (1-based) and the keys of
        :func:`render_once`.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    with tempfile.TemporaryDirectory(prefix="leadkpi-bench-") as tmp:
        out = Path(output_dir) if output_dir is not None else Path(tmp)
        results = []
        for i in range(warmup + runs):
            measured = render_once(
                notebook, parameters, out, cwd=cwd, kernel_name=kernel_name
            )
            if i >= warmup:
                results.append({"run": i - warmup + 1, **measured})
    return results


def data_cache() -> Path:
    """Where generated datasets are kept: ``$LEADKPI_BENCH_DATA`` when set (tests
    point it at a temporary folder), else ``benchmarks/.data``."""
    return Path(os.environ.get("LEADKPI_BENCH_DATA") or DATA_CACHE)


def generated_sources(format: str = "csv") -> dict[str, Any]:
    """The ``sources`` of a config for files that ``leadkpi sample-data`` wrote into
    ``data/``: for ``csv`` the vendor exports with their profiles (the sample's own
    layout, :data:`leadkpi.datasets.SOURCES`), for ``parquet`` one canonical
    ``<table>.parquet`` per table."""
    from leadkpi.datasets import SOURCES, TABLE_NAMES

    if format == "parquet":
        return {t: f"data/{t}.parquet" for t in TABLE_NAMES}
    sources: dict[str, list[Any]] = {}
    for file, table, profile, options in SOURCES:
        entry: Any = f"data/{file}"
        if profile != "canonical" or options:
            entry = {"path": entry, "profile": profile, **options}
        sources.setdefault(table, []).append(entry)
    return {t: s[0] if len(s) == 1 else s for t, s in sources.items()}


def generated_config(n_leads: int, format: str = "csv") -> Path:
    """A config for a generated ``n_leads`` dataset, generating it on first use.

    The files and ``leadkpi.yaml`` go to ``<data cache>/<n_leads>-<format>/``
    (:func:`data_cache`); the sample company's name, timezone, currency, stages and
    targets are reused, its sources replaced by the files generated. The config is
    written anew each time (cheap); the data only when a file it names is missing.
    """
    import yaml

    folder = data_cache() / f"{n_leads}-{format}"
    config = folder / "leadkpi.yaml"
    settings = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    settings["sources"] = generated_sources(format)
    files = [
        folder / (entry["path"] if isinstance(entry, dict) else entry)
        for value in settings["sources"].values()
        for entry in (value if isinstance(value, list) else [value])
    ]
    if not all(f.is_file() for f in files):
        start = time.perf_counter()
        # in a child process, so that this one stays small: a child's peak memory
        # as read by getrusage starts from its parent's size at fork
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from leadkpi.cli import main; sys.exit(main())",
                "sample-data",
                str(folder / "data"),
                "--leads",
                str(n_leads),
                "--format",
                format,
                "--force",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"generated {n_leads:,} leads as {format} in "
            f"{time.perf_counter() - start:.1f} s: {folder / 'data'}",
            file=sys.stderr,
        )
    tmp = config.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    tmp.replace(config)
    return config


def input_size_mb(config: Path) -> float:
    """Total size of a config's data files, in MiB."""
    return sum(p.stat().st_size for p in (config.parent / "data").glob("*.*")) / 2**20


def median(results: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """The median of each measured column over ``results``."""
    keys = [k for k in results[0] if k not in ("run", "slowest_cells")]
    return {k: round(statistics.median(r[k] for r in results), 3) for k in keys}


def format_results(results: Sequence[Mapping[str, float]], title: str = "") -> str:
    """A plain-text table: one line per run, then the median."""
    header = f"{'run':>6}" + "".join(f"{c:>18}" for c in COLUMNS)
    rows = [
        f"{r['run']:>6}" + "".join(f"{r[c]:>18.3f}" for c in COLUMNS) for r in results
    ]
    mid = median(results)
    rows.append(f"{'median':>6}" + "".join(f"{mid[c]:>18.3f}" for c in COLUMNS))
    return "\n".join(([title] if title else []) + [header, *rows])


def parse_params(items: Sequence[str]) -> dict[str, Any]:
    """``["month=2026-10", "top=5"]`` → ``{"month": "2026-10", "top": 5}``.

    A value that reads as JSON (numbers, true/false, null, lists) is taken as such;
    anything else stays text.
    """
    parameters: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise argparse.ArgumentTypeError(f"--param {item!r}: expected KEY=VALUE")
        try:
            parameters[key] = json.loads(value)
        except json.JSONDecodeError:
            parameters[key] = value
    return parameters


def parser() -> argparse.ArgumentParser:
    """The command-line options (extend it for other scenarios)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--notebook",
        type=Path,
        default=DEFAULT_NOTEBOOK,
        help=f"notebook to render (default: {DEFAULT_NOTEBOOK.relative_to(ROOT)})",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a notebook parameter; repeat for several",
    )
    data = p.add_mutually_exclusive_group()
    data.add_argument(
        "--sample",
        action="store_true",
        help="render the monthly report of the bundled sample data (leadkpi.yaml)",
    )
    data.add_argument(
        "--leads",
        type=int,
        metavar="N",
        help="render the monthly report of a generated N-lead dataset "
        "(generated once into benchmarks/.data/)",
    )
    p.add_argument(
        "--format",
        choices=("csv", "parquet"),
        default="csv",
        help="file format of the generated dataset (default: csv)",
    )
    p.add_argument("--runs", type=int, default=3, help="measured runs (default: 3)")
    p.add_argument(
        "--warmup", type=int, default=1, help="uncounted runs made first (default: 1)"
    )
    p.add_argument("--cwd", type=Path, help="kernel working directory")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        parameters = parse_params(args.param)
    except argparse.ArgumentTypeError as exc:
        parser().error(str(exc))
    cwd = args.cwd
    title = f"render {args.notebook.name}"
    if args.sample or args.leads:
        config = (
            SAMPLE_CONFIG if args.sample else generated_config(args.leads, args.format)
        )
        parameters = {"month": "", "config": str(config), **parameters}
        cwd = cwd or config.parent
        if args.leads:
            title += (
                f" on {args.leads:,} generated leads "
                f"({args.format}, {input_size_mb(config):,.0f} MiB of input)"
            )
        else:
            title += " on the sample data"
    results = bench(args.notebook, parameters, args.runs, warmup=args.warmup, cwd=cwd)
    title = f"{title} {parameters}"
    print(format_results(results, title + " (seconds; peak memory in MiB)"))
    print("slowest cells of the last run (seconds, first line):")
    for seconds, line in results[-1]["slowest_cells"]:
        print(f"  {seconds:7.3f}  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
