"""render(): papermill run, HTML without code, atomic files, one-line errors.

Each kernel start costs seconds, so the renders are module-scoped fixtures shared by
the tests that inspect them.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

import leadkpi
from leadkpi.exceptions import ReportError
from leadkpi.report import RenderResult, render

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
TIMING_KEYS = {
    "kernel_startup_s",
    "execution_s",
    "kernel_shutdown_s",
    "export_s",
    "total_s",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> RenderResult:
    """report_ok.ipynb rendered with x=7, over a stale failed notebook."""
    out = tmp_path_factory.mktemp("ok")
    (out / "report_ok.failed.ipynb").write_text("{}")
    return render(NOTEBOOKS / "report_ok.ipynb", {"x": 7}, out, progress=False)


@pytest.fixture(scope="module")
def html(rendered) -> str:
    return rendered.html.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sidecar(rendered) -> dict:
    return json.loads(rendered.sidecar.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def failed(tmp_path_factory):
    """An older good report named "report", then fails.ipynb rendered as "report"."""
    out = tmp_path_factory.mktemp("failed") / "reports" / "2025-01"  # created by render
    older = render(
        NOTEBOOKS / "plain.ipynb",
        {"label": "older"},
        out,
        name="report",
        progress=False,
    )
    before = _files(out)
    with pytest.raises(ReportError) as info:
        render(
            NOTEBOOKS / "fails.ipynb",
            {"month": "2025-01"},
            out,
            name="report",
            progress=False,
        )
    return info.value, out, before, older


def _files(out: Path) -> dict[str, bytes]:
    """The report files a reader sees in ``out`` (hidden versions left out)."""
    return {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}


def _body(html: str) -> str:
    return html[html.index("<body") :]


# --- a successful render -----------------------------------------------------------


def test_render_writes_html_notebook_and_sidecar_side_by_side(rendered):
    out = rendered.html.parent
    assert rendered.html == out / "report_ok.html"
    assert rendered.notebook == out / "report_ok.ipynb"
    assert rendered.sidecar == out / "report_ok.json"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "report_ok.html",
        "report_ok.ipynb",
        "report_ok.json",
    ]  # stale failed notebook removed
    hidden = {p.name for p in out.iterdir() if p.name.startswith(".")}
    version = (out / ".report_ok.current").readlink().name
    assert hidden == {".report_ok.current", version}  # no temporary file left


def test_injected_parameters_reach_the_notebook(rendered, html):
    nb = nbformat.read(rendered.notebook, as_version=4)
    injected = [
        c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])
    ]
    assert len(injected) == 1 and "x = 7" in injected[0].source
    assert "x times ten is 70" in html


def test_html_shows_no_code(html):
    body = _body(html)
    for code in ('print(f"x times ten is', "x * 10", "plt.subplots", "SimpleNamespace"):
        assert code not in html
    assert "jp-CodeMirrorEditor" not in body and 'class="highlight' not in body
    assert 'class="jp-InputPrompt' not in body and 'class="jp-OutputPrompt' not in body
    # the only input areas left are markdown cells
    areas = re.findall(r'<div class="jp-InputArea[^"]*">(<div[^>]*>)', body)
    assert areas and all("jp-RenderedMarkdown" in area for area in areas)
    assert "Visible heading" in body


def test_html_embeds_the_matplotlib_chart(html):
    assert re.search(r'<img[^>]+src="data:image/png;base64,[A-Za-z0-9+/]{100}', html)


def test_html_loads_nothing_from_the_network(html):
    """A report opens offline and from an e-mail: no script, style or font from a
    CDN (nbconvert's lab template would load require.js, MathJax and Mermaid)."""
    sources = re.findall(
        r"<(?:script|link|img|iframe)\b[^>]*?(?:src|href)=\"([^\"]*)", html
    )
    assert not [s for s in sources if re.match(r"(?:https?:)?//", s)]
    assert not re.search(r"import\s[^;]*from\s+[\"']https?://", html)  # ES modules


def test_charts_are_drawn_inline_whatever_mplbackend_says(tmp_path, monkeypatch):
    """Cron jobs and containers often set MPLBACKEND=Agg; the kernel must still
    draw inline, or the charts silently miss the report."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = NOTEBOOKS / "implicit_chart.ipynb"  # a figure left open, not displayed
    result = render(notebook, {"points": 4}, tmp_path, progress=False)
    html = result.html.read_text(encoding="utf-8")
    assert re.search(r'<img[^>]+src="data:image/png;base64,', html)


def test_remove_cell_tags_drop_whole_cells(rendered, html):
    executed = rendered.notebook.read_text()
    for marker in ("HIDDEN-MARKDOWN-NOTE", "HIDDEN-CELL-OUTPUT"):
        assert marker in executed  # the cells ran and stay in the notebook…
        assert marker not in html  # …but not in the report


def test_html_shows_the_provenance_footer_not_its_json(html):
    body = _body(html)
    assert body.count('<footer class="leadkpi-provenance"') == 1
    assert f"Generated by leadkpi {leadkpi.__version__}" in body
    assert 'title="0123456789abcdef0123456789abcdef' in body
    assert "application/vnd.leadkpi" not in html
    assert '"rows_rejected"' not in html and "leads.csv" in body


def test_html_title_is_the_notebook_name(html):
    assert "<title>Report ok</title>" in html


def test_sidecar_records_the_run(rendered, sidecar):
    assert set(sidecar) == {
        "leadkpi_version",
        "notebook",
        "parameters",
        "started_at",
        "finished_at",
        "timings",
        "outputs",
        "inputs",
        "provenance",
        "numbers",
    }
    assert sidecar["numbers"] is None  # this notebook displays no ReportNumbers
    assert sidecar["leadkpi_version"] == leadkpi.__version__
    # relative to the kernel's folder (the notebook's): no absolute path
    assert sidecar["notebook"] == "report_ok.ipynb"
    assert sidecar["parameters"] == {"x": 7}
    started = datetime.fromisoformat(sidecar["started_at"])
    finished = datetime.fromisoformat(sidecar["finished_at"])
    assert started.utcoffset().total_seconds() == 0 and started <= finished
    assert sidecar["outputs"] == {
        "html": "report_ok.html",
        "ipynb": "report_ok.ipynb",
        "json": "report_ok.json",
    }
    assert sidecar["timings"] == rendered.timings


def test_sidecar_carries_the_provenance_the_notebook_displayed(sidecar):
    assert sidecar["inputs"] == [
        {
            "table": "leads",
            "file": "data/leads.csv",
            "profile": "hubspot",
            "sha256": "0123456789abcdef" * 4,
            "rows_read": 10,
            "rows_loaded": 9,
            "rows_rejected": 1,
        }
    ]
    provenance = sidecar["provenance"]
    assert provenance["parameters"] == {"x": 7}
    assert provenance["inputs"] == sidecar["inputs"]
    assert provenance["leadkpi_version"] == leadkpi.__version__


def test_timings_are_positive_and_add_up(rendered):
    t = rendered.timings
    assert set(t) == TIMING_KEYS
    assert all(value >= 0 for value in t.values()), t
    assert t["kernel_startup_s"] > 0 and t["execution_s"] > 0 and t["export_s"] > 0, t
    parts = sum(value for key, value in t.items() if key != "total_s")
    assert parts == pytest.approx(t["total_s"], abs=0.01), t  # the split is complete


def test_title_comes_from_the_parameters(rendered):
    from leadkpi.report import _to_html

    nb = nbformat.read(rendered.notebook, as_version=4)
    page = _to_html(nb, {"title": "Leads <October>"}, "report_ok")
    assert "<title>Leads &lt;October&gt;</title>" in page


def test_html_export_leaves_the_executed_notebook_as_it_was(rendered):
    from leadkpi.report import _to_html

    nb = nbformat.read(rendered.notebook, as_version=4)
    before = nbformat.writes(nb)
    page = _to_html(nb, {"title": "Leads"}, "report_ok")
    assert "<title>Leads</title>" in page
    assert nbformat.writes(nb) == before  # no title set, no cell removed


def test_report_kernel_starts_ipykernel_without_its_debugger():
    from jupyter_client.kernelspec import KernelSpec

    from leadkpi.report import _ReportKernelManager

    manager = _ReportKernelManager()
    manager._kernel_spec = KernelSpec(
        argv=["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    )
    manager._launch_args = {}  # as start_kernel sets them (jupyter-client 8.1: None)
    cmd = manager.format_kernel_cmd(["--IPKernelApp.log_level=ERROR"])
    assert "ipykernel_launcher" not in cmd
    assert cmd[1] == "-c" and "sys.modules['debugpy'] = None" in cmd[2]
    assert cmd[3:] == [
        "-f",
        manager.format_kernel_cmd()[4],
        "--IPKernelApp.log_level=ERROR",
    ]
    other = ["Rscript", "-e", "IRkernel::main()", "{connection_file}"]
    manager._kernel_spec = KernelSpec(argv=other)
    assert manager.format_kernel_cmd()[:3] == other[:3]  # any other kernel: as is


# --- failures ----------------------------------------------------------------------


def test_failing_cell_raises_one_line_report_error(failed):
    error, out, _, _ = failed
    message = str(error)
    assert "\n" not in message
    # cell 3 of the executed notebook: fails.ipynb's third cell, after the injection
    assert error.cell == 3
    assert "fails.ipynb failed in cell 3 (In [4]" in message
    assert 'raise ValueError("the third cell fails on purpose")' in message
    assert error.error == "ValueError: the third cell fails on purpose"
    assert message.endswith(f"kept as {out / 'report.failed.ipynb'}")


def test_failed_run_keeps_its_notebook_and_leaves_the_older_report(failed):
    error, out, before, older = failed
    kept = Path(error.kept_notebook)
    assert kept == out / "report.failed.ipynb"
    nb = nbformat.read(kept, as_version=4)
    errors = [
        o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert errors and errors[0].ename == "ValueError"
    after = {name: text for name, text in _files(out).items() if name != kept.name}
    assert after == before  # older html/ipynb/json untouched, nothing partial added
    assert b"label is older" in before["report.html"]
    assert older.html.name == "report.html"


def test_failed_run_in_a_new_folder_writes_no_report(tmp_path):
    out = tmp_path / "new"
    with pytest.raises(ReportError, match="No such kernel named nope") as info:
        render(NOTEBOOKS / "plain.ipynb", {}, out, kernel_name="nope", progress=False)
    assert "installed kernels:" in str(info.value)
    assert not list(out.glob("plain.html")) and not list(out.glob("plain.json"))
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


def test_missing_notebook_is_a_report_error(tmp_path):
    with pytest.raises(ReportError, match=r"notebook .*nowhere\.ipynb not found"):
        render(tmp_path / "nowhere.ipynb", {}, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_sidecar_inputs_are_null_without_provenance(failed):
    _, out, before, _ = failed
    sidecar = json.loads(before["report.json"])
    assert sidecar["inputs"] is None and sidecar["provenance"] is None
    assert sidecar["parameters"] == {"label": "older"}
