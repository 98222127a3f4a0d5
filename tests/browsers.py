"""The headless Chromium the browser tests run.

The pinned build ``make browser`` installs into ``.browser/`` (``tools/browser.py``
records its version and checksums) comes first, so every machine tests against the
same browser; else the one ``$LEADKPI_CHROMIUM`` names, else ``chromium`` on the PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PINNED = ROOT / ".browser" / "chromium"


def find_chromium() -> str | None:
    """The Chromium executable for the tests, or None when there is none."""
    if os.access(PINNED, os.X_OK):
        return str(PINNED)
    named = os.environ.get("LEADKPI_CHROMIUM")
    if named and shutil.which(named):
        return shutil.which(named)
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM = find_chromium()


def require_chromium() -> str:
    """:data:`CHROMIUM`; skips the test without one (fails it in CI)."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium is required in CI: `make test` installs it (make browser)"
            )
        pytest.skip("no Chromium: `make browser` installs the pinned one")
    return CHROMIUM


def run_chromium(
    browser: str, profile: Path, *args: str, timeout: float = 180
) -> subprocess.CompletedProcess:
    """Run ``browser`` with ``args`` and a profile folder of its own under
    ``profile``. A ``--dump-dom`` run that exits without printing the page (the
    pinned build's headless mode does now and then, on a loaded machine) is run
    again, up to three times in all, each with a fresh profile."""
    for attempt in range(3):
        done = subprocess.run(
            [browser, f"--user-data-dir={profile / f'run-{attempt}'}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if "--dump-dom" not in args or done.returncode or "</html>" in done.stdout:
            return done
    return done
