"""Provenance: what a report shows about where its numbers came from.

A :class:`Provenance` records the leadkpi version, the report's parameters, the input
files (with their SHA-256 and row accounting) and when the report ran. Displayed as
the last output of a report notebook, it renders as a compact HTML footer and also
carries itself as JSON (mimetype :data:`MIMETYPE`), which
:func:`leadkpi.report.render` copies into the report's sidecar file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePath
from typing import Any, Protocol

import pandas as pd
from babel.numbers import format_decimal

from leadkpi.present.i18n import (
    LANGS,
    LOCALES,
    check_lang,
    label,
    language_name,
    words,
)
from leadkpi.privacy import relative_path

__all__ = ["Provenance", "MIMETYPE", "INPUT_COLUMNS", "leadkpi_version"]

#: The output mimetype under which a displayed Provenance carries its JSON.
MIMETYPE = "application/vnd.leadkpi.provenance+json"

#: Columns of :attr:`Provenance.inputs` (those of ``LeadData.accounting()``).
INPUT_COLUMNS = (
    "table",
    "file",
    "profile",
    "sha256",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
)

_STYLE = (
    "<style>.leadkpi-provenance{margin-top:2em;padding-top:.5em;"
    "border-top:1px solid #ccc;font-size:.8em;color:#555}"
    ".leadkpi-provenance table{border-collapse:collapse;margin-top:.3em}"
    # as specific as the notebook stylesheet's right-aligned cells, and later
    ".jp-RenderedHTMLCommon .leadkpi-provenance td,"
    ".jp-RenderedHTMLCommon .leadkpi-provenance th,"
    ".leadkpi-provenance td,.leadkpi-provenance th{padding:0 .8em 0 0;"
    "text-align:left;border:none}.jp-RenderedHTMLCommon .leadkpi-provenance td.n,"
    ".leadkpi-provenance td.n{text-align:right}</style>"
)


class _HasAccounting(Protocol):
    def accounting(self) -> pd.DataFrame: ...


def leadkpi_version() -> str:
    """The leadkpi version: ``leadkpi.__version__``, else the installed metadata."""
    import leadkpi  # at call time: this module may be imported by leadkpi itself

    found = getattr(leadkpi, "__version__", None)
    if found:
        return str(found)
    try:
        return version("leadkpi")
    except PackageNotFoundError:
        return "unknown"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True, eq=False)
class Provenance:
    """Where a report's numbers came from.

    Parameters
    ----------
    leadkpi_version : str
        The leadkpi version that produced the report.
    parameters : dict
        The report's parameters, as injected into the notebook.
    inputs : pandas.DataFrame
        One row per input: ``table, file, profile, sha256, rows_read, rows_loaded,
        rows_rejected`` (the frame of ``LeadData.accounting()``).
    ran_at : str
        When the report ran, ISO 8601 in UTC (``2026-11-03T08:15:00Z``).
    lang : {"en", "es"}
        Language of the footer's labels.

    Notes
    -----
    Instances compare by identity (a DataFrame field has no single truth value).

    Examples
    --------
    >>> import pandas as pd
    >>> inputs = pd.DataFrame([["leads", "data/leads.csv", "hubspot", "ab" * 32,
    ...                         10, 9, 1]], columns=INPUT_COLUMNS)
    >>> p = Provenance("0.1.0", {"month": "2026-10"}, inputs, "2026-11-03T08:15:00Z")
    >>> p.to_dict()["inputs"][0]["rows_rejected"]
    1
    """

    leadkpi_version: str
    parameters: dict[str, Any]
    inputs: pd.DataFrame
    ran_at: str = field(default_factory=_now)
    lang: str = "en"

    def __post_init__(self) -> None:
        check_lang(self.lang)
        missing = [c for c in INPUT_COLUMNS if c not in self.inputs.columns]
        if missing:
            raise ValueError(
                f"Provenance inputs lack the columns {missing}; "
                f"found {list(self.inputs.columns)}"
            )

    @classmethod
    def from_data(
        cls, data: _HasAccounting, parameters: dict[str, Any], *, lang: str = "en"
    ) -> Provenance:
        """The provenance of a report computed from ``data``, as of now.

        Parameters
        ----------
        data : LeadData
            The loaded project; its ``accounting()`` gives the input files.
        parameters : dict
            The report's parameters.
        lang : {"en", "es"}
            Language of the footer.

        Notes
        -----
        Input files, and parameters that are absolute paths, are recorded relative
        to the folder of ``data``'s config, so that the report can be e-mailed
        without the layout of the analyst's machine.
        """
        inputs = data.accounting()[list(INPUT_COLUMNS)].reset_index(drop=True)
        config = getattr(getattr(data, "config", None), "path", None)
        parameters = dict(parameters)
        if config is not None:  # no absolute path of the analyst's machine
            root = Path(config).parent
            inputs["file"] = [
                relative_path(f, root) if isinstance(f, str) else f
                for f in inputs["file"]
            ]
            parameters = {
                key: relative_path(value, root)
                if isinstance(value, str) and os.path.isabs(value)
                else value
                for key, value in parameters.items()
            }
        return cls(leadkpi_version(), parameters, inputs, _now(), lang)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; ``inputs`` is a list of one record per file."""
        records = json.loads(self.inputs[list(INPUT_COLUMNS)].to_json(orient="records"))
        return {
            "leadkpi_version": self.leadkpi_version,
            "parameters": json.loads(json.dumps(self.parameters, default=str)),
            "ran_at": self.ran_at,
            "lang": self.lang,
            "inputs": records,
        }

    def _label(self, key: str) -> str:
        return words(self.lang)["provenance"][key]

    def _count(self, value: object) -> str:
        if pd.isna(value):
            return "–"
        return format_decimal(int(value), locale=LOCALES[self.lang])

    def _when(self) -> str:
        return self.ran_at.replace("T", " ").replace("Z", " UTC")

    def _parameter_text(self) -> str:
        """``month: 2026-10 · language: Spanish · …``: names and values in the
        footer's language, values as text (never a Python repr)."""
        if not self.parameters:
            return self._label("no_parameters")
        shown = []
        for key, value in self.parameters.items():
            said = words(self.lang)
            name = said["parameter_names"].get(key, key)
            as_words = said["parameter_values"].get(
                f"{key}_{value or 'default'}" if isinstance(value, str) else ""
            )
            if key == "lang" and value in LANGS:
                value = language_name(str(value), self.lang)
            elif as_words is not None:
                value = as_words
            elif value is None or (isinstance(value, float) and pd.isna(value)):
                value = "–"
            elif isinstance(value, list | tuple):
                value = ", ".join(str(v) for v in value)
            shown.append(f"{name}: {value}")
        return " · ".join(shown)

    def _table_name(self, table: object) -> str:
        return label(f"table:{table}", self.lang).removeprefix("table:")

    def _repr_html_(self) -> str:
        rows = []
        for row in self.inputs.itertuples(index=False):
            sha = str(row.sha256 or "")
            counts = " / ".join(
                self._count(getattr(row, c))
                for c in ("rows_read", "rows_loaded", "rows_rejected")
            )
            rows.append(
                f"<tr><td>{escape(self._table_name(row.table))}</td>"
                f'<td title="{escape(str(row.file))}">'
                f"{escape(PurePath(str(row.file)).name)}</td>"
                f'<td title="{escape(sha)}"><code>{escape(sha[:12]) or "–"}</code></td>'
                f'<td class="n">{counts}</td></tr>'
            )
        if rows:
            head = (
                f"<tr><th>{self._label('table')}</th><th>{self._label('file')}</th>"
                f"<th>SHA-256</th><th>{self._label('rows')}</th></tr>"
            )
            files = f"<table>{head}{''.join(rows)}</table>"
        else:
            files = f" {self._label('no_inputs')}"
        return (
            f'{_STYLE}<footer class="leadkpi-provenance" lang="{self.lang}">'
            f"<div>{self._label('generated')} {escape(self.leadkpi_version)} "
            f"{self._label('ran_at')} {escape(self._when())}</div>"
            f"<div>{self._label('parameters')}: "
            f"{escape(self._parameter_text())}</div>"
            f"<div>{self._label('inputs')}:{files}</div></footer>"
        )

    def _repr_plain_(self) -> str:
        lines = [
            f"{self._label('generated')} {self.leadkpi_version} "
            f"{self._label('ran_at')} {self._when()}",
            f"{self._label('parameters')}: {self._parameter_text()}",
            f"{self._label('inputs')} ({self._label('rows')}):",
        ]
        for row in self.inputs.itertuples(index=False):
            counts = " / ".join(
                self._count(getattr(row, c))
                for c in ("rows_read", "rows_loaded", "rows_rejected")
            )
            sha = str(row.sha256 or "")[:12] or "–"
            lines.append(f"  {self._table_name(row.table)}: {row.file} {sha} {counts}")
        return "\n".join(lines)

    def _repr_mimebundle_(
        self, include: object = None, exclude: object = None
    ) -> dict[str, Any]:
        return {
            "text/html": self._repr_html_(),
            "text/plain": self._repr_plain_(),
            MIMETYPE: self.to_dict(),
        }

    def __repr__(self) -> str:
        return (
            f"Provenance(leadkpi_version={self.leadkpi_version!r}, "
            f"parameters={self.parameters!r}, inputs=<{len(self.inputs)} files>, "
            f"ran_at={self.ran_at!r}, lang={self.lang!r})"
        )
