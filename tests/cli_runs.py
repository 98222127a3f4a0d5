"""The monthly report rendered by the command a user runs, in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def render_monthly(config: Path, out: Path, cwd: Path, *options: str) -> Path:
    """Run ``leadkpi report monthly --config config --out out --quiet`` (and
    ``options``) from ``cwd``; assert it succeeds and return the HTML it wrote."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "leadkpi.cli",
            "report",
            "monthly",
            "--config",
            str(config),
            *options,
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return Path(done.stdout.strip().splitlines()[-1])
