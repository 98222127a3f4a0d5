"""The package's layers go one way: nothing below the presentation imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import leadkpi

PACKAGE = Path(leadkpi.__file__).parent
#: What sits above the presentation: the top-level API, the report, the course, the CLI.
ABOVE = {
    "__init__.py",
    "cli.py",
    "report.py",
    "report_files.py",
    "report_numbers.py",
    "provenance.py",
    "pdf.py",
    "course",
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_engine_and_analyses_never_import_the_presentation():
    below = [
        path
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in ABOVE | {"present"}
    ]
    assert len(below) > 50
    offending = sorted(
        str(path.relative_to(PACKAGE))
        for path in below
        if any(name.startswith("leadkpi.present") for name in _imports(path))
    )
    assert offending == []
