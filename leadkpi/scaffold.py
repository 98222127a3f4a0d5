"""``leadkpi init``: a new project folder for a user's own exports.

The folder gets a commented ``leadkpi.yaml`` whose sources are ``exports/<table>/``
folders read with ``profile: auto``, those folders, and ``reports/``; with
``sample=True`` the sample company's exports are copied in, so the project renders
a report at once.
"""

from __future__ import annotations

import os
import re
import shutil
from importlib.resources import files
from pathlib import Path

import yaml

from leadkpi.exceptions import LeadKPIError
from leadkpi.project import CONFIG_NAME
from leadkpi.resources import bundled

__all__ = ["init_project", "TABLE_FOLDERS"]

#: Tables that get an ``exports/<table>/`` folder, in the starter config's order.
TABLE_FOLDERS = (
    "leads",
    "spend",
    "deals",
    "touches",
    "email",
    "web",
    "customers",
    "costs",
    "outreach",
)

#: Settings copied from the sample company's config with ``sample=True``.
_SAMPLE_SETTINGS = ("name", "timezone", "currency", "locale")


def init_project(
    directory: str | os.PathLike[str], *, sample: bool = False
) -> list[Path]:
    """Create a leadkpi project in ``directory``.

    Parameters
    ----------
    directory : str or path-like
        The project folder; created when missing. It must not hold a
        ``leadkpi.yaml`` yet.
    sample : bool
        Copy the sample company's exports into ``exports/`` and use its name,
        timezone, currency and locale, so that the project renders at once.

    Returns
    -------
    list of pathlib.Path
        What was created: the config, the ``exports/<table>`` folders, ``reports``,
        then any sample files copied.

    Raises
    ------
    LeadKPIError
        When ``directory`` is a file or already has a ``leadkpi.yaml``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     created = init_project(folder)
    ...     [p.relative_to(folder).as_posix() for p in created][:3]
    ['leadkpi.yaml', 'exports/leads', 'exports/spend']
    """
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise LeadKPIError(f"{root} is a file; `leadkpi init` needs a folder")
    config = root / CONFIG_NAME
    if config.exists():
        raise LeadKPIError(
            f"{config} exists already; leadkpi init never overwrites a project"
        )
    template = files("leadkpi.templates").joinpath(CONFIG_NAME).read_text("utf-8")
    copies: list[tuple[Path, Path]] = []
    if sample:
        template, copies = _with_sample(template, root)
    folders = [root / "exports" / table for table in TABLE_FOLDERS] + [root / "reports"]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    for source, target in copies:
        shutil.copyfile(source, target)
    temp = root / f".{CONFIG_NAME}.tmp"
    temp.write_text(template, encoding="utf-8")
    os.replace(temp, config)  # the config last: a project is whole once it exists
    return [config, *folders, *(target for _, target in copies)]


def _with_sample(template: str, root: Path) -> tuple[str, list[tuple[Path, Path]]]:
    """The template with every table enabled and the sample's settings, and the
    (sample file, project file) pairs to copy."""
    folder = bundled("sample")
    raw = yaml.safe_load((folder / CONFIG_NAME).read_text(encoding="utf-8"))
    for key in _SAMPLE_SETTINGS:
        if key in raw:
            value = yaml.safe_dump(raw[key], allow_unicode=True).splitlines()[0]
            template = re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", template)
    template = re.sub(
        r"(?m)^  # (\w+): \{path: exports/", r"  \1: {path: exports/", template
    )
    copies = []
    for table, entries in raw["sources"].items():
        for entry in entries if isinstance(entries, list) else [entries]:
            name = entry if isinstance(entry, str) else entry["path"]
            copies.append((folder / name, root / "exports" / table / name))
    return template, copies
