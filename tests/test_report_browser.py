"""Open the rendered sample report in a real (headless) browser."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import escape, unescape
from pathlib import Path

import pytest
from browsers import require_chromium, run_chromium

ROOT = Path(__file__).resolve().parents[1]

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
    return require_chromium()


def _chromium(browser: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    return run_chromium(browser, tmp_path / "profile", *FLAGS, *args, timeout=120)


#: The report's sections, in reading order, in each language.
HEADINGS = {
    "en": [
        "The month at a glance",
        "The last twelve months",
        "Leads and spend by channel",
        "Top campaigns by spend",
        "Funnel",
        "Conversion by cohort",
        "Time between stages",
        "Speed to lead",
        "Customer retention and lifetime value",
        "Which channels won the month's customers",
        "Lead quality",
        "Outbound prospecting",
        "E-mail nurturing",
        "Web traffic",
        "Data quality appendix",
    ],
    "es": [
        "El mes de un vistazo",
        "Los últimos doce meses",
        "Leads e inversión por canal",
        "Campañas con más inversión",
        "Embudo",
        "Conversión por cohorte",
        "Tiempo entre etapas",
        "Velocidad de respuesta",
        "Retención de clientes y valor de vida",
        "Qué canales captaron a los clientes del mes",
        "Calidad de los leads",
        "Prospección saliente",
        "Nutrición por correo electrónico",
        "Tráfico web",
        "Apéndice de calidad de datos",
    ],
}
#: Sections drawn as charts (each must embed at least one).
CHARTED = {
    "en": [
        "The last twelve months",
        "Leads and spend by channel",
        "Funnel",
        "Conversion by cohort",
        "Time between stages",
        "Speed to lead",
        "Customer retention and lifetime value",
        "Which channels won the month's customers",
        "Lead quality",
    ],
}
CHARTED["es"] = [HEADINGS["es"][HEADINGS["en"].index(h)] for h in CHARTED["en"]]
#: The executive summary's tiles: leads to ROAS.
TILES = 14
#: Where screenshots of the rendered reports are kept for a reader to look at.
ARTIFACTS = Path(os.environ.get("LEADKPI_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="module", params=["en", "es"])
def report(request, sample_report, tmp_path_factory) -> tuple[str, Path]:
    """The sample report in each language, rendered by the real command."""
    if request.param == "en":
        return "en", sample_report
    out = tmp_path_factory.mktemp("reports_es")
    done = subprocess.run(
        [
            sys.executable, "-m", "leadkpi.cli", "report", "monthly", "--config",
            str(ROOT / "leadkpi.yaml"), "--out", str(out), "--lang", "es", "--quiet",
        ],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return "es", Path(done.stdout.strip().splitlines()[-1])


def test_report_renders_in_a_browser_with_its_sections(browser, report, tmp_path):
    lang, html = report
    done = _chromium(browser, tmp_path, "--dump-dom", html.as_uri())
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    body = dom[dom.index("<body") :]
    headings = HEADINGS[lang]
    shown = re.findall(r"<h2[^>]*>([^<]*)<", body)
    assert [unescape(h) for h in shown] == headings  # every section, in order
    at = [body.find(f">{escape(h, quote=False)}<") for h in headings]
    ends = dict(zip(headings, [*at[1:], len(body)], strict=True))
    image = 'src="data:image/png;base64,'
    for name in CHARTED[lang]:
        start = at[headings.index(name)]
        assert image in body[start : ends[name]], f"no chart under {name!r}"
    tiles = re.findall(
        r'class="leadkpi-tile".*?class="leadkpi-tile-name">([^<]+)<.*?'
        r'class="leadkpi-tile-value">([^<]+)<',
        body,
        flags=re.S,
    )
    assert len(tiles) == TILES and all(name and value for name, value in tiles)
    speed = body[at[headings.index(HEADINGS[lang][7])] :]
    assert "Raúl Delgado" in speed[: speed.find("<h2")]  # the slow rep, named
    for code_marker in ("jp-InputArea", "jp-CodeMirrorEditor", 'class="highlight'):
        assert code_marker not in body, code_marker  # no code visible
    assert 'class="leadkpi-provenance"' in dom


def test_report_screenshot_is_not_blank(browser, report, tmp_path):
    lang, html = report
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"monthly_report.{lang}.png"
    done = _chromium(
        browser,
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=1300,9000",
        html.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.stat().st_size > 100_000  # a page with text and charts, not a blank one
