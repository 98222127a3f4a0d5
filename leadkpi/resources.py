"""Files that ship with leadkpi: the report notebooks and the sample company.

In an installed wheel they sit inside the package (``leadkpi/notebooks``,
``leadkpi/sample``); in a source checkout they are the repository's top-level
``notebooks/`` and ``data/sample/`` folders, which the wheel is built from.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from leadkpi.exceptions import LeadKPIError

__all__ = ["bundled", "BUNDLES"]

#: Bundle name → folder of a source checkout that the wheel ships under that name.
BUNDLES = {"notebooks": "notebooks", "sample": "data/sample"}


def bundled(name: str) -> Path:
    """The folder of a bundle that ships with leadkpi.

    Parameters
    ----------
    name : {"notebooks", "sample"}
        ``notebooks``: the report notebooks; ``sample``: the sample company's exports
        and its ``leadkpi.yaml``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    LeadKPIError
        When ``name`` is not a bundle, or the installation lacks it.

    Examples
    --------
    >>> (bundled("notebooks") / "monthly_report.ipynb").is_file()
    True
    >>> (bundled("sample") / "leadkpi.yaml").is_file()
    True
    """
    if name not in BUNDLES:
        raise LeadKPIError(f"no bundle {name!r}; expected one of {', '.join(BUNDLES)}")
    package = Path(str(files("leadkpi")))
    for folder in (package / name, package.parent / BUNDLES[name]):
        if folder.is_dir():
            return folder
    raise LeadKPIError(
        f"this leadkpi installation has no {name} folder (looked in {package}); "
        "reinstall it with `pip install --force-reinstall leadkpi`"
    )
