"""Every script that ``make bench`` runs works on a fresh clone, at a tiny size.

The figures are not checked (benchmarks print them for a person to read); what is
checked is that each script runs to the end on data it makes itself, with any
generated files kept in a temporary folder (``LEADKPI_BENCH_DATA``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"


def _run(tmp_path: Path, script: str, *args: str) -> str:
    env = {**os.environ, "LEADKPI_BENCH_DATA": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_make_bench_runs_only_the_scripts_tested_here():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    bench = makefile[makefile.index("\nbench:") :].split("\n\n")[0]
    scripts = sorted(set(re.findall(r"benchmarks/(\w+\.py)", bench)))
    assert scripts == sorted(
        ["bench_read.py", "bench_engine.py", "bench_funnel.py", "bench_speed.py",
         "bench_retention.py", "bench_report.py", "bench_warehouse.py"]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("bench_read.py", ["--rows", "500"], "time ratio leadkpi / pyarrow"),
        (
            "bench_engine.py",
            ["--leads", "500", "--spend", "200", "--web", "100", "--email", "50",
             "--runs", "1"],
            "500",
        ),
        ("bench_funnel.py", ["--leads", "500", "--runs", "1"], "total of the targeted"),
        ("bench_speed.py", ["--leads", "500", "--runs", "1"], "speed_to_lead"),
        ("bench_retention.py", ["--leads", "500", "--runs", "1"], "LTV table"),
        (
            "bench_warehouse.py",
            ["--leads", "2000", "--runs", "1", "--paths"],
            "DuckDB and pandas agree",
        ),
    ],
)  # fmt: skip
def test_benchmark_runs_at_a_tiny_size(tmp_path, script, args, expected):
    assert expected in _run(tmp_path, script, *args)


def _tiny_report(folder: Path) -> Path:
    """A report notebook that loads the project: the config is what is tested."""
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('month = ""\nconfig = ""')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell("import leadkpi\ndata = leadkpi.load(config)"),
        nbformat.v4.new_code_cell("len(data.leads)"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    path = folder / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("data", [["--sample"], ["--leads", "300"]])
def test_bench_report_runs_on_the_sample_and_on_generated_leads(tmp_path, data):
    notebook = _tiny_report(tmp_path)
    out = _run(
        tmp_path, "bench_report.py", *data, "--notebook", str(notebook),
        "--runs", "1", "--warmup", "0",
    )  # fmt: skip
    assert "median" in out and "slowest cells" in out
    if data[0] == "--leads":  # generated where the test said, in the vendor layouts
        config = tmp_path / "data" / "300-csv" / "leadkpi.yaml"
        assert config.is_file()
        contacts = config.parent / "data" / "hubspot-crm-exports-all-contacts.csv"
        assert contacts.is_file()
