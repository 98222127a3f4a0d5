"""A report as PDF: headless Chromium's print-to-PDF of its HTML, with print CSS.

The PDF is the same page the HTML report shows, laid out for A4 by :data:`PRINT_CSS`
(which :mod:`leadkpi.report` puts in every report's head): tables shrink their text
and wrap their cells to fit the page width and repeat their header row on each page,
tables, charts and rows are not split across pages where they fit on one, and a
heading is never left alone at the bottom of a page.

Chromium is looked up on the ``PATH`` (``chromium``, ``chromium-browser``,
``google-chrome``, ``google-chrome-stable``), or named by ``$LEADKPI_CHROMIUM``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from leadkpi.exceptions import ReportError

__all__ = ["PRINT_CSS", "PAGE_WIDTH_MM", "PAGE_MARGIN_MM", "find_chromium", "print_pdf"]

#: The page: A4 portrait with 12 mm margins (186 mm of printable width).
PAGE_WIDTH_MM = 210
PAGE_MARGIN_MM = 12

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Flags for a headless run that touches nothing outside its own temporary profile.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)

#: How the report prints. Screen rendering is untouched (``@media print`` only).
PRINT_CSS = f"""@page {{ size: A4 portrait; margin: {PAGE_MARGIN_MM}mm; }}
@media print {{
  html, body {{ width: auto !important; margin: 0 !important; }}
  body, main, .jp-Notebook, .jp-Cell, .jp-OutputArea, .jp-OutputArea-child,
  .jp-OutputArea-output, .jp-RenderedHTMLCommon {{
    overflow: visible !important; max-width: 100% !important;
    padding-left: 0 !important; padding-right: 0 !important;
  }}
  .jp-OutputPrompt, .jp-InputPrompt {{ display: none !important; }}
  table {{
    max-width: 100% !important; table-layout: auto !important;
    font-size: 7.5pt !important; break-inside: avoid; page-break-inside: avoid;
    margin-left: 0 !important;
  }}
  th, td, caption {{
    white-space: normal !important; overflow-wrap: break-word; word-break: normal;
    hyphens: manual;
    padding: 1px 4px !important; max-width: none !important;
  }}
  thead {{ display: table-header-group; }}
  tr, img, svg, figure, footer {{ break-inside: avoid; page-break-inside: avoid; }}
  img, svg {{ max-width: 100% !important; height: auto !important; }}
  h1, h2, h3, h4 {{
    break-after: avoid; page-break-after: avoid; break-inside: avoid;
  }}
  .leadkpi-tiles {{ grid-template-columns: repeat(5, 1fr) !important; gap: 5px; }}
  .leadkpi-tile {{ padding: 4px 5px; font-size: 8pt; }}
}}
"""


def find_chromium() -> str:
    """The Chromium (or Chrome) executable that prints PDFs.

    Raises
    ------
    ReportError
        None is installed: the message says how to install one.
    """
    named = os.environ.get("LEADKPI_CHROMIUM")
    if named:
        found = shutil.which(named)
        if found is None:
            raise ReportError(
                f"LEADKPI_CHROMIUM={named!r} is not an executable; name Chromium's "
                "path or unset it"
            )
        return found
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ReportError(
        "--pdf needs Chromium (headless print-to-PDF) and none was found on the "
        "PATH; install it (Debian/Ubuntu: `sudo apt-get install chromium`; macOS: "
        "`brew install --cask chromium`) or set LEADKPI_CHROMIUM to its path (in a "
        "leadkpi checkout, `make browser` puts one in .browser/chromium). The HTML "
        "report does not need it."
    )


def print_pdf(
    html: str | os.PathLike[str],
    pdf: str | os.PathLike[str],
    *,
    chromium: str | None = None,
    timeout: float = 180,
) -> Path:
    """Print the HTML file ``html`` to the PDF file ``pdf`` with headless Chromium.

    Parameters
    ----------
    html, pdf : path
        The page to print and the PDF to write (its folder must exist).
    chromium : str, optional
        The executable; default :func:`find_chromium`.
    timeout : float
        Seconds before the browser is given up on.

    Returns
    -------
    pathlib.Path
        ``pdf``.

    Raises
    ------
    ReportError
        No Chromium, or it failed or wrote no PDF (the message has the end of its
        error output).
    """
    browser = chromium or find_chromium()
    source, target = Path(html).resolve(), Path(pdf).resolve()
    with tempfile.TemporaryDirectory(prefix="leadkpi-chromium-") as profile:
        command = [
            browser,
            *_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise ReportError(
                f"Chromium did not print {source.name} within {timeout:.0f} s"
            ) from None
        except OSError as exc:
            raise ReportError(f"Chromium could not start: {exc}") from None
    magic = b""
    if target.is_file():
        with open(target, "rb") as handle:
            magic = handle.read(5)
    if done.returncode != 0 or magic != b"%PDF-":
        tail = " ".join(done.stderr.strip().splitlines()[-3:]) or "no error output"
        raise ReportError(
            f"Chromium did not print {source.name} to PDF (exit {done.returncode}): "
            f"{tail}"
        )
    return target
