"""Tables written for spreadsheets, with text that cannot run as a formula.

A campaign named ``=HYPERLINK("http://…")`` or ``+cmd|' /C calc'!A0`` in an export
would run as a formula when a CSV that leadkpi wrote is opened in Excel, LibreOffice
or Google Sheets. Every text cell that a spreadsheet would read as a formula (one
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or their
full-width forms) is written with a leading apostrophe, the spreadsheet convention
for "this is text". Numbers stay numbers: ``-12.5`` in a numeric column is written
as it is.
"""

from __future__ import annotations

import re
from typing import IO

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

__all__ = ["FORMULA_START", "spreadsheet_safe", "write_csv"]

#: The first characters that make a spreadsheet read a cell as a formula.
# \u escapes resolved by Python, not by the regex engine: the RE2 of older pyarrow
# refuses them
FORMULA_START = re.compile("^[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]")


def _safe_text(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    risky = text.str.contains(FORMULA_START, na=False).to_numpy(bool)
    if not risky.any():
        return values
    out = values.astype("object").copy()
    out[risky] = ("'" + text[risky]).to_numpy(object)
    return out


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot run as formulas.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table; numeric, boolean and date columns are left as they are.

    Returns
    -------
    pandas.DataFrame
        The same shape; text that starts like a formula gains a leading ``'``.

    Examples
    --------
    >>> table = pd.DataFrame({"campaign": ["=HYPERLINK(\\"x\\")", "spring", "-x"],
    ...                       "value": [-12.5, 3.0, 0.0]})
    >>> spreadsheet_safe(table)
               campaign  value
    0  '=HYPERLINK("x")  -12.5
    1            spring    3.0
    2               '-x    0.0
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if is_numeric_dtype(values) or is_bool_dtype(values):
            continue
        if isinstance(values.dtype, pd.DatetimeTZDtype | pd.PeriodDtype):
            continue
        out[column] = _safe_text(values)
    names = pd.Series([str(c) for c in out.columns], dtype="object")
    out.columns = _safe_text(names).tolist()
    return out


def write_csv(frame: pd.DataFrame, target: str | IO[str], **kwargs: object) -> None:
    """Write ``frame`` as CSV (no index) after :func:`spreadsheet_safe`.

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> write_csv(pd.DataFrame({"owner": ["@SUM(A1)"], "n": [-1]}), buffer)
    >>> buffer.getvalue().splitlines()
    ['owner,n', "'@SUM(A1),-1"]
    """
    spreadsheet_safe(frame).to_csv(target, index=False, **kwargs)
