"""Any notebook as a report, its title, its PDF and what it may carry by e-mail.

The print test: Chromium prints the sample report to PDF (a real PDF of A4 pages),
and the same HTML is then laid out by Chromium at the printable width of that page
(A4 less its margins) with the report's print stylesheet applied, and a small script
measures every table and image against the page width and writes what overflows
into the page, which ``--dump-dom`` returns. Reading widths back out of the PDF
would need a PDF parser (pypdf, or poppler's pdftotext -bbox) that leadkpi does not
otherwise depend on; measuring in the engine that prints, with the print rules,
needs nothing new.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from browsers import CHROMIUM, run_chromium

from leadkpi.cli import main
from leadkpi.datasets import load_sample
from leadkpi.pdf import PAGE_MARGIN_MM, PAGE_WIDTH_MM, find_chromium, print_pdf

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium: `make browser` installs the pinned one"
)


def _project(tmp_path: Path) -> Path:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "lead_id,created_at\nL1,2025-01-10T10:00:00Z\nL2,2025-03-31T10:00:00Z\n"
    )
    config = tmp_path / "leadkpi.yaml"
    config.write_text("sources:\n  leads: leads.csv\n")
    (tmp_path / "notebooks").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "report_ok.ipynb", tmp_path / "notebooks" / "mine.ipynb")
    return config


def _report(tmp_path: Path, *args: str) -> int:
    config = _project(tmp_path)
    return main(
        ["report", *args, "--config", str(config), "--out", str(tmp_path / "out"),
         "--month", "2025-01", "--quiet"]
    )  # fmt: skip


def test_any_notebook_of_the_project_renders_with_typed_params(tmp_path, capsys):
    assert _report(tmp_path, "mine", "--param", "x=7") == 0
    html = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert html == tmp_path / "out" / "2025-01" / "mine.html"
    text = html.read_text(encoding="utf-8")
    assert "x times ten is 70" in text  # 7 arrived as an int
    assert "<title>Mine — January 2025 (English)</title>" in text
    sidecar = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["parameters"] == {"lang": "en", "x": 7}
    assert sidecar["notebook"] == "notebooks/mine.ipynb"  # relative to the config


def test_report_help_lists_the_notebook_parameters(tmp_path, capsys, monkeypatch):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["report", "mine", "--help"]) == 0
    out = capsys.readouterr().out
    assert "parameters of mine.ipynb" in out
    assert "x (int, default 1): a number the report multiplies by ten" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["mine", "--param", "xx=2"],
         "--param xx='2' is not a parameter of mine.ipynb; did you mean 'x'?"),
        (["mine", "--param", "x=two"], "--param x='two': expected an int"),
        (["mine", "--param", "x"], "--param 'x': expected KEY=VALUE"),
        (["mine", "--param", "lang=es"], "--param lang=...: pass --lang instead"),
        (["weekly"], "report='weekly' is not a report or a notebook of the project"),
    ],
)  # fmt: skip
def test_bad_report_arguments_are_one_line_errors(tmp_path, capsys, args, message):
    assert _report(tmp_path, *args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_title_is_in_the_report_language(tmp_path, capsys):
    assert _report(tmp_path, "mine", "--lang", "es") == 0
    html = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert html.name == "mine.es.html"
    assert "<title>Mine — enero de 2025 (español)</title>" in html.read_text("utf-8")


def test_pdf_without_chromium_is_a_clear_error_before_any_work(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("LEADKPI_CHROMIUM", raising=False)
    with pytest.raises(Exception, match="apt-get install chromium"):
        find_chromium()
    assert _report(tmp_path, "mine", "--pdf") == 1
    err = capsys.readouterr().err
    assert "--pdf needs Chromium" in err
    assert not list((tmp_path / "out").glob("**/mine.*"))


@needs_chromium
def test_pdf_is_published_with_the_report_and_a_failed_one_leaves_the_old(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("LEADKPI_CHROMIUM", CHROMIUM)  # --pdf finds the tests' browser
    assert _report(tmp_path, "mine", "--pdf") == 0
    out = capsys.readouterr().out.strip().splitlines()
    pdf, html = Path(out[-2]), Path(out[-1])
    assert pdf == html.with_suffix(".pdf")
    first = pdf.read_bytes()
    assert first.startswith(b"%PDF-")
    assert html.resolve().parent == pdf.resolve().parent  # one version folder
    # a browser that fails: nothing new is published, the old report stays whole
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'cannot print' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("LEADKPI_CHROMIUM", str(fake))
    assert main(
        ["report", "mine", "--config", str(tmp_path / "leadkpi.yaml"), "--out",
         str(tmp_path / "out"), "--month", "2025-01", "--quiet", "--pdf",
         "--param", "x=3"]
    ) == 1  # fmt: skip
    assert "cannot print" in capsys.readouterr().err
    assert pdf.read_bytes() == first
    assert "x times ten is 10" in html.read_text(encoding="utf-8")
    assert [p.name for p in pdf.parent.glob(".mine.*.v")] == [pdf.resolve().parent.name]
    # a later render without --pdf leaves no link to a PDF it did not write
    monkeypatch.delenv("LEADKPI_CHROMIUM")
    assert _report(tmp_path, "mine") == 0
    assert not pdf.is_symlink() and not pdf.exists()
    assert html.is_file()


def _emails_in_sample() -> set[str]:
    leads = load_sample().leads
    return set(leads["email"].dropna().astype(str).str.lower())


def test_sample_report_carries_no_address_and_no_absolute_path(sample_report):
    html = sample_report.read_text(encoding="utf-8")
    found = set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", html.lower()))
    assert not found & _emails_in_sample(), found & _emails_in_sample()
    # the sample has two leads sharing an address: shown by their ids
    assert "lead_id L004983, L005319" in html
    sidecar = sample_report.with_suffix(".json").read_text(encoding="utf-8")
    for text in (html, sidecar):
        assert str(ROOT) not in text and str(Path.home()) + "/" not in text
    assert json.loads(sidecar)["parameters"]["config"] == "leadkpi.yaml"
    assert "<title>Monthly report — October 2026 (English)</title>" in html


_MEASURE = """
<script>
addEventListener("load", () => {
  const page = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("table, img")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.left < -1 || box.right > page + 1)) {
      wide.push([el.tagName, Math.round(box.width), (el.textContent || "")
        .trim().slice(0, 60)]);
    }
  }
  const out = document.createElement("pre");
  out.id = "print-widths";
  out.textContent = JSON.stringify({page: page, count:
    document.querySelectorAll("table").length, wide: wide});
  document.body.appendChild(out);
});
</script>
"""


@needs_chromium
def test_printed_sample_report_has_no_table_wider_than_the_page(
    sample_report, tmp_path
):
    pdf = print_pdf(sample_report, tmp_path / "report.pdf", chromium=CHROMIUM)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 4, pages
    assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45]\.\d+ 841\.\d+\s*\]", data)  # A4
    # the same page at the printable width, print rules on, measured in the DOM
    html = sample_report.read_text(encoding="utf-8")
    html = re.sub(r"<meta[^>]*Content-Security-Policy[^>]*>", "", html)
    # every print rule (the report's and the template's) applies on this screen
    html = html.replace('<style media="print">', '<style media="all">')
    html = html.replace("@media print", "@media all")
    html = html.replace("</body>", _MEASURE + "</body>")
    page = tmp_path / "measure.html"
    page.write_text(html, encoding="utf-8")
    width_px = round((PAGE_WIDTH_MM - 2 * PAGE_MARGIN_MM) / 25.4 * 96)
    done = run_chromium(
        CHROMIUM, tmp_path / "profile",
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", f"--window-size={width_px},1200",
        "--virtual-time-budget=10000", "--dump-dom", page.as_uri(),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="print-widths">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stdout[-2000:]
    measured = json.loads(found.group(1).replace("&quot;", '"'))
    assert abs(measured["page"] - width_px) <= 2, measured["page"]
    assert measured["count"] >= 8  # the report's tables were measured
    assert measured["wide"] == []
