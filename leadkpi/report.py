"""Render a parameterised notebook into an HTML report, atomically.

:func:`render` runs a notebook with papermill, exports it to HTML with nbconvert
(code hidden, images embedded, ``remove-cell`` cells dropped) and writes three files
side by side: ``<name>.html``, the executed ``<name>.ipynb`` and a ``<name>.json``
sidecar with the parameters, timings, the provenance the notebook displayed and the
tables of the numbers it showed (:class:`leadkpi.report_numbers.ReportNumbers`).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bleach
import nbformat
from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES
from jinja2 import DictLoader
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from nbconvert.preprocessors.sanitize import SanitizeHTML
from papermill import execute_notebook
from papermill.exceptions import PapermillExecutionError

from leadkpi import report_files
from leadkpi.exceptions import LeadKPIError, ReportError
from leadkpi.pdf import PRINT_CSS, find_chromium, print_pdf
from leadkpi.privacy import relative_path
from leadkpi.provenance import MIMETYPE, leadkpi_version
from leadkpi.report_numbers import MIMETYPE as NUMBERS
from leadkpi.resources import bundled

__all__ = ["render", "RenderResult", "CONTENT_SECURITY_POLICY"]

#: The report runs no script at all: its tables, charts (inline PNG) and styles need
#: none, so a script that text from an export might smuggle in cannot run either.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'"
)

#: nbconvert's lab page without its scripts (require.js, MathJax, mermaid) and with
#: the policy above as the first element of its head.
_TEMPLATE = "leadkpi_report.html.j2"
_TEMPLATE_SOURCE = f"""{{%- extends 'index.html.j2' -%}}
{{%- block html_head -%}}
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
{{{{ super() }}}}
<style media="print">{PRINT_CSS}</style>
{{%- endblock html_head -%}}
{{%- block html_head_js -%}}{{%- endblock html_head_js -%}}
{{%- block html_head_js_mathjax -%}}{{%- endblock html_head_js_mathjax -%}}
{{%- block html_head_js_mermaidjs -%}}{{%- endblock html_head_js_mermaidjs -%}}
"""

#: What HTML outputs may keep after nbconvert's sanitiser: formatted tables with
#: their stylesheet, headings and text, the provenance footer. Anything else is
#: escaped (shown as text), never run.
_SAFE_TAGS = sorted(
    set(bleach.ALLOWED_TAGS)
    | {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup"}
    | {"col", "style", "div", "span", "p", "br", "footer", "h1", "h2", "h3", "h4"}
)
_SAFE_ATTRIBUTES = {
    "*": ["class", "id", "title", "style"],
    "th": ["class", "id", "title", "style", "colspan", "rowspan"],
    "td": ["class", "id", "title", "style", "colspan", "rowspan"],
}
_SAFE_STYLES = sorted(ALLOWED_CSS_PROPERTIES | {"text-align", "white-space"})

#: matplotlib's backend in a report kernel (IPython's own default for kernels).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


#: What ``python -m ipykernel_launcher`` runs, with debugpy marked absent first:
#: ipykernel then starts without its debugger, which nobody attaches to a report
#: run, instead of importing debugpy (a good third of the kernel's start-up).
_LAUNCH_WITHOUT_DEBUGGER = (
    "import sys; from pathlib import Path\n"
    "if sys.path[0] == '' or Path(sys.path[0]) == Path.cwd(): del sys.path[0]\n"
    "sys.modules['debugpy'] = None\n"
    "from ipykernel import kernelapp; kernelapp.launch_new_instance()"
)


class _ReportKernelManager(AsyncKernelManager):
    """A kernel that draws charts inline whatever the caller's environment says:
    with ``MPLBACKEND=Agg`` (cron, CI, containers) a chart would not reach the
    report. An IPython kernel started the standard way (``-m ipykernel_launcher``)
    starts without its debugger; any other kernel command is left as it is."""

    async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
        env = dict(kw.pop("env", None) or os.environ)
        env["MPLBACKEND"] = INLINE_BACKEND
        await super().start_kernel(env=env, **kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        for i in range(1, len(cmd) - 1):
            if cmd[i : i + 2] == ["-m", "ipykernel_launcher"]:
                return [*cmd[:i], "-c", _LAUNCH_WITHOUT_DEBUGGER, *cmd[i + 2 :]]
        return cmd


@dataclass(frozen=True)
class RenderResult:
    """The files a successful :func:`render` wrote, and how long it took.

    Attributes
    ----------
    html, notebook, sidecar : Path
        The report, the executed notebook and the JSON sidecar.
    pdf : Path or None
        The report as PDF, when asked for.
    timings : dict of str to float
        Seconds spent in ``kernel_startup_s`` (the call's start to the first code
        cell: reading, parameterising, starting the kernel), ``execution_s`` (first
        code cell start to last cell end), ``kernel_shutdown_s`` (last cell end to
        papermill's return), ``export_s`` (nbconvert and writing the files),
        ``pdf_s`` (printing the PDF, only when asked for) and ``total_s`` (the
        whole call); the parts add up to the total.
    """

    html: Path
    notebook: Path
    sidecar: Path
    timings: dict[str, float]
    pdf: Path | None = None


def render(
    notebook: str | os.PathLike[str],
    parameters: Mapping[str, Any],
    output_dir: str | os.PathLike[str],
    *,
    name: str | None = None,
    kernel_name: str | None = None,
    progress: bool = True,
    cwd: str | os.PathLike[str] | None = None,
    title: str | None = None,
    pdf: bool = False,
) -> RenderResult:
    """Execute ``notebook`` with ``parameters`` and write it as an HTML report.

    Parameters
    ----------
    notebook : path
        The notebook to run; its cell tagged ``parameters`` receives ``parameters``.
    parameters : mapping
        Values injected by papermill.
    output_dir : path
        Folder for the report (created if missing).
    name : str, optional
        Base name of the written files; default: the notebook's stem.
    kernel_name : str, optional
        Jupyter kernel to use; default: the notebook's own kernelspec.
    progress : bool
        Show papermill's progress bar.
    cwd : path, optional
        Working directory of the kernel; default: the notebook's folder, as in
        JupyterLab, so relative paths in the notebook work the same.
    title : str, optional
        The HTML document's title (what a browser tab and a PDF's metadata show);
        default: a ``title`` parameter, else the notebook's ``title`` metadata, else
        its name.
    pdf : bool
        Also write ``<name>.pdf``, printed from the HTML by headless Chromium
        (:mod:`leadkpi.pdf`), published with the other files or not at all.

    Returns
    -------
    RenderResult

    Raises
    ------
    ReportError
        The notebook is missing, the kernel cannot start, a cell fails (the message
        names the cell and the error), the export fails, or the PDF is asked for and
        Chromium is missing (before anything runs) or fails. Nothing is written
        under ``<name>.html/.ipynb/.json/.pdf``; an executed notebook, when there is
        one, is kept as ``<name>.failed.ipynb``.
    leadkpi.exceptions.OutputError
        ``output_dir`` cannot be written (a file in the way, no permission, a full
        disk), a report file's name is taken by a folder, or another process is
        rendering a report into the same folder. An older report is left as it was.

    Notes
    -----
    The three files are written into a hidden folder in ``output_dir`` and
    published together by one atomic switch of a link (see
    :mod:`leadkpi.report_files`): a reader sees the old report or the new one,
    never a mix. A lock on ``output_dir`` held for the whole
    run refuses a concurrent render into it, and hidden folders left by a killed
    render are removed when the next one starts.

    Examples
    --------
    >>> result = render("notebooks/monthly_report.ipynb",
    ...                 {"month": "2026-10"}, "reports/2026-10")  # doctest: +SKIP
    >>> result.html  # doctest: +SKIP
    PosixPath('reports/2026-10/monthly_report.html')
    """
    clock = time.perf_counter()
    wall = datetime.now(UTC)
    started_at = _utc_now()
    source = Path(notebook)
    if not source.is_file():
        raise ReportError(f"notebook {source} not found")
    name = name or source.stem
    out = Path(output_dir)
    params = dict(parameters)
    chromium = find_chromium() if pdf else None  # missing: say so before running
    kinds = (".html", ".ipynb", ".json", *((".pdf",) if pdf else ()))
    paths = {ext: out / f"{name}{ext}" for ext in kinds}
    workdir = Path(cwd if cwd is not None else source.parent)
    failed = out / f"{name}.failed.ipynb"

    with report_files.locked(out), report_files.staging(out, name) as stage:
        report_files.check_targets(paths.values())
        executed = stage / f"{name}.ipynb"
        try:
            nb = execute_notebook(
                str(source),
                str(executed),
                parameters=params,
                kernel_name=kernel_name,
                progress_bar=progress,
                cwd=str(workdir),
                # the kernel's own start-up log (not cell output) is noise in a
                # report run; its errors still show
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
                kernel_manager_class=_ReportKernelManager,
                # every output is in once the last cell has run: the kernel is
                # stopped at once rather than asked to (which waits about 1 to 3 s
                # for its exit)
                shutdown_kernel="immediate",
                # the notebook is written when the run ends (a failing cell's too),
                # not before and after every cell: with its charts inline each of
                # those ~50 writes serialised the whole notebook while the kernel
                # waited (a kernel that dies mid-run leaves no partial notebook)
                request_save_on_cell_execute=False,
            )
        except PapermillExecutionError as exc:
            kept = _keep(executed, failed)
            raise _cell_error(source, exc, kept) from exc
        except NoSuchKernel as exc:
            installed = ", ".join(sorted(KernelSpecManager().find_kernel_specs()))
            raise ReportError(
                f"{source.name} could not run: {exc}; installed kernels: "
                f"{installed or 'none'}"
            ) from None
        except Exception as exc:  # kernel, I/O or format failure: one clear line
            kept = _keep(executed, failed)
            raise ReportError(
                f"{source.name} could not run: {_one_line(exc)}", kept_notebook=kept
            ) from exc
        executed_at = time.perf_counter()
        try:
            html = _to_html(nb, params, name, title)
            provenance = _provenance(nb)
            numbers = _last_output(nb, NUMBERS)
        except Exception as exc:
            kept = _keep(executed, failed)
            raise ReportError(
                f"{source.name} ran but its HTML export failed: {_one_line(exc)}",
                kept_notebook=kept,
            ) from exc
        report_files.write(stage / f"{name}.html", html.encode("utf-8"), paths[".html"])
        printing = time.perf_counter()
        if chromium is not None:
            try:
                print_pdf(stage / f"{name}.html", stage / f"{name}.pdf",
                          chromium=chromium)  # fmt: skip
            except ReportError as exc:
                kept = _keep(executed, failed)
                raise ReportError(f"{exc}", kept_notebook=kept) from None
        printed = time.perf_counter() - printing
        timings = _timings(nb, clock, wall, executed_at)
        if chromium is not None:  # the PDF's part of the export, on its own
            timings["export_s"] = round(timings["export_s"] - printed, 3)
            timings = {**timings, "pdf_s": round(printed, 3)}
            timings["total_s"] = timings.pop("total_s")
        sidecar = {
            "leadkpi_version": leadkpi_version(),
            "notebook": _shown_notebook(source, workdir),
            "parameters": params,
            "started_at": started_at,
            "finished_at": _utc_now(),
            "timings": timings,
            "outputs": {key.lstrip("."): paths[key].name for key in paths},
            "inputs": provenance.get("inputs") if provenance else None,
            "provenance": provenance,
            "numbers": numbers,
        }
        text = json.dumps(sidecar, indent=2, ensure_ascii=False, default=str)
        report_files.write(stage / f"{name}.json", text.encode("utf-8"), paths[".json"])
        # where the files are moved one by one, the report itself comes last
        order = (".ipynb", ".json", ".pdf", ".html")
        report_files.publish(
            stage,
            name,
            {paths[ext].name: paths[ext] for ext in order if ext in paths},
        )
    failed.unlink(missing_ok=True)
    return RenderResult(
        paths[".html"], paths[".ipynb"], paths[".json"], timings, paths.get(".pdf")
    )


def _shown_notebook(source: Path, workdir: Path) -> str:
    """The notebook as the sidecar records it: ``leadkpi:notebooks/<file>`` for
    one that ships with leadkpi, else relative to the kernel's working folder (no
    absolute path of the analyst's machine)."""
    path = source.resolve()
    try:
        shipped = bundled("notebooks").resolve()
    except LeadKPIError:  # pragma: no cover - an installation without notebooks
        shipped = None
    if shipped is not None and path.is_relative_to(shipped):
        return f"leadkpi:notebooks/{path.relative_to(shipped).as_posix()}"
    return relative_path(path, workdir.resolve())


def _to_html(
    nb: nbformat.NotebookNode,
    parameters: dict[str, Any],
    name: str,
    title: str | None = None,
) -> str:
    """The report's HTML: no code, no prompts, images inline, removal tags applied,
    outputs sanitised, no script, and a Content-Security-Policy that forbids any.
    ``nb`` is left as it is: nbconvert converts a copy of its own."""
    title = (
        title
        or parameters.get("title")
        or nb.metadata.get("title")
        or name.replace("_", " ").capitalize()
    )
    # the title goes into a new metadata mapping; the cells are shared, not copied
    nb = nbformat.NotebookNode({**nb, "metadata": {**nb.metadata, "title": str(title)}})
    exporter = HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE,
        extra_loaders=[DictLoader({_TEMPLATE: _TEMPLATE_SOURCE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags={"remove-cell"},
            remove_input_tags={"remove-input"},
            remove_all_outputs_tags={"remove-output"},
            enabled=True,
        ),
        enabled=True,
    )
    exporter.register_preprocessor(
        SanitizeHTML(tags=_SAFE_TAGS, attributes=_SAFE_ATTRIBUTES, styles=_SAFE_STYLES),
        enabled=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _cell_error(
    source: Path, exc: PapermillExecutionError, kept: str | None
) -> ReportError:
    """A one-line ReportError naming the failing cell and the error."""
    first = next((ln for ln in exc.source.splitlines() if ln.strip()), "").strip()
    if len(first) > 80:
        first = first[:77] + "..."
    value = _first_line(str(exc.evalue))
    error = f"{exc.ename}: {value}" if value else str(exc.ename)
    message = (
        f"{source.name} failed in cell {exc.cell_index} "
        f"(In [{exc.exec_count}]: {first}): {error}"
    )
    if kept:
        message += f"; executed notebook kept as {kept}"
    return ReportError(message, cell=exc.cell_index, error=error, kept_notebook=kept)


def _keep(executed: Path, failed: Path) -> str | None:
    """Move a failed run's executed notebook to ``failed``; None when there is none."""
    if not executed.is_file():
        return None
    temp = _write_temp(failed.parent, failed.stem, executed.read_bytes())
    os.replace(temp, failed)
    return str(failed)


def _write_temp(folder: Path, name: str, content: bytes) -> Path:
    """Write ``content`` to a new hidden file in ``folder`` (mode 0o666 less umask)."""
    temp = folder / f".{name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _provenance(nb: nbformat.NotebookNode) -> dict[str, Any] | None:
    """The last provenance the notebook displayed, as a dict, or None."""
    return _last_output(nb, MIMETYPE)


def _last_output(nb: nbformat.NotebookNode, mimetype: str) -> dict[str, Any] | None:
    """The last output of ``mimetype`` the notebook displayed, as a dict, or None."""
    found = None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if mimetype in data:
                found = data[mimetype]
    if isinstance(found, str):  # some writers keep JSON mimetypes as text
        found = json.loads(found)
    return found if isinstance(found, dict) else None


def _timings(
    nb: nbformat.NotebookNode, clock: float, wall: datetime, executed_at: float
) -> dict[str, float]:
    """Split the run with papermill's own cell start/end stamps in the executed
    notebook; the parts add up to the total (to within clock resolution)."""
    now = time.perf_counter()
    run = executed_at - clock
    cells = [c.metadata.get("papermill", {}) for c in nb.cells if c.cell_type == "code"]
    starts = [c["start_time"] for c in cells if c.get("start_time")]
    ends = [c["end_time"] for c in cells if c.get("end_time")]
    if starts and ends:
        first = _seconds(wall, min(starts))
        last = _seconds(wall, max(ends))
        startup = min(max(first, 0.0), run)
        execution = min(max(last - startup, 0.0), run - startup)
    else:  # no stamps (an empty notebook): the whole run counts as execution
        startup, execution = 0.0, run
    return {
        "kernel_startup_s": round(startup, 3),
        "execution_s": round(execution, 3),
        "kernel_shutdown_s": round(run - startup - execution, 3),
        "export_s": round(now - executed_at, 3),
        "total_s": round(now - clock, 3),
    }


def _seconds(start: datetime, end: str) -> float:
    stamp = datetime.fromisoformat(end.replace("Z", "+00:00"))
    if stamp.tzinfo is None:  # papermill writes naive UTC stamps
        stamp = stamp.replace(tzinfo=UTC)
    return (stamp - start).total_seconds()


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _first_line(text: str) -> str:
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), "")


def _one_line(exc: BaseException) -> str:
    detail = _first_line(str(exc))
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
