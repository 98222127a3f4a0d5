"""Open the rendered sample report in a real (headless) browser."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI: `make test` installs it as root")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return CHROMIUM


def _chromium(browser: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_renders_in_a_browser_with_its_sections(
    browser, sample_report, tmp_path
):
    done = _chromium(browser, tmp_path, "--dump-dom", sample_report.as_uri())
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    body = dom[dom.index("<body") :]
    headings = [
        "The month at a glance",
        "The last twelve months",
        "Leads and spend by channel",
        "Funnel",
        "Conversion by cohort",
        "Time between stages",
        "Speed to lead",
        "Customer retention and lifetime value",
        "Data quality appendix",
    ]
    at = [body.find(f">{heading}<") for heading in headings]
    assert -1 not in at, dict(zip(headings, at, strict=True))
    assert at == sorted(at)  # sections in reading order
    image = 'src="data:image/png;base64,'
    charted = zip(headings[1:-1], at[1:-1], at[2:], strict=True)
    for name, start, end in charted:
        assert image in body[start:end], f"no chart embedded under {name!r}"
    speed = body[at[headings.index("Speed to lead")] :]
    assert "Raúl Delgado" in speed[: speed.find("<h2")]  # the slow rep, named
    for code_marker in ("jp-InputArea", "jp-CodeMirrorEditor", 'class="highlight'):
        assert code_marker not in body, code_marker  # no code visible
    assert 'class="leadkpi-provenance"' in dom


def test_report_screenshot_is_not_blank(browser, sample_report, tmp_path):
    shot = tmp_path / "report.png"
    done = _chromium(
        browser,
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        sample_report.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.stat().st_size > 20_000  # a page with text and charts, not a blank one
