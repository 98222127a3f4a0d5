"""Keeping personal data out of what a report shows.

A report is e-mailed to managers: it names leads by their ids, files by their
names (never an absolute path of the analyst's machine) and never shows an e-mail
address from the data. ``leadkpi validate``, run by the analyst, keeps the detail.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

import pandas as pd

__all__ = ["mask_emails", "relative_path", "HIDDEN"]

#: What stands in for a hidden e-mail address.
HIDDEN = "[e-mail]"

#: An e-mail address: something@domain.tld (what a reason or an example might quote).
_EMAIL = re.compile(r"[^\s'\"<>@,;:()\[\]]+@[^\s'\"<>@,;:()\[\]]+\.[A-Za-z]{2,}")


def mask_emails(values: pd.Series) -> pd.Series:
    """``values`` as text with every e-mail address replaced by :data:`HIDDEN`.

    Examples
    --------
    >>> mask_emails(pd.Series(["email = 'Ana.Ruiz@acme.es' repeats line 3", None]))
    0    email = '[e-mail]' repeats line 3
    1                                  NaN
    dtype: str
    """
    text = values.astype("str")
    return text.str.replace(_EMAIL.pattern, HIDDEN, regex=True)


def relative_path(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str:
    """``path`` relative to the folder ``root`` (``../`` when outside it), with ``/``;
    a relative ``path`` is returned as it is.

    Examples
    --------
    >>> relative_path("/home/ana/project/data/leads.csv", "/home/ana/project")
    'data/leads.csv'
    >>> relative_path("/srv/exports/leads.csv", "/home/ana/project")
    '../../../srv/exports/leads.csv'
    >>> relative_path("data/leads.csv", "/home/ana/project")
    'data/leads.csv'
    """
    if not os.path.isabs(path):
        return PurePath(path).as_posix()
    return Path(os.path.relpath(path, root)).as_posix()
