"""Money in one currency: convert a table's amounts into the project currency.

Each money table may carry a ``currency`` column: the ISO 4217 code of each row's
amounts as exported. An empty cell (or no column) means the project currency. Amounts
are converted with the project's ``rates`` (``{"USD": 0.92}``: one US dollar is 0.92
of the project currency); the source currency stays in ``currency`` and the amount as
exported in ``<column>_original``. A table that holds a currency without a rate is an
error, never a silent sum of two currencies.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from leadkpi.config import Config
from leadkpi.exceptions import ConfigError
from leadkpi.schemas import table_spec

__all__ = ["ORIGINAL_SUFFIX", "money_columns", "to_project_currency", "currencies"]

#: Suffix of the column that keeps an amount as exported.
ORIGINAL_SUFFIX = "_original"


def money_columns(kind: str) -> tuple[str, ...]:
    """The money columns of canonical table ``kind`` (``cost``, ``amount``, …)."""
    return tuple(c.name for c in table_spec(kind).columns if c.kind == "money")


def currencies(table: pd.DataFrame, project: str) -> pd.Series:
    """Each row's currency code, upper-cased; the project currency where empty."""
    if "currency" not in table.columns:
        return pd.Series(project, index=table.index)
    codes = table["currency"].fillna("").astype(str).str.strip().str.upper()
    return codes.where(codes != "", project)


def _rate_table(config: Config) -> Mapping[str, float]:
    rates = {code.upper(): float(rate) for code, rate in config.rates.items()}
    return {**rates, config.currency: 1.0}


def to_project_currency(
    table: pd.DataFrame, kind: str, config: Config, *, file: str | None = None
) -> pd.DataFrame:
    """Convert every money column of a table into the project currency.

    Parameters
    ----------
    table : pandas.DataFrame
        A canonical table; its optional ``currency`` column gives each row's code.
    kind : str
        The canonical table (its money columns come from the schema).
    config : Config
        ``config.currency`` is the project currency, ``config.rates`` the rates.
    file : str, optional
        The file(s) the table came from, named in errors.

    Returns
    -------
    pandas.DataFrame
        A copy; money columns in the project currency, ``<column>_original`` with the
        amounts as exported, ``currency`` unchanged. Unchanged (and not copied) when
        every row is already in the project currency. Converting again starts from
        ``<column>_original``, so the result does not depend on how often it runs.

    Raises
    ------
    ConfigError
        When a currency has no rate; names the table, the file, both currencies and
        how many rows are concerned.

    Examples
    --------
    >>> spend = pd.DataFrame({"cost": [100.0, 10.0], "currency": ["USD", None]})
    >>> to_project_currency(spend, "spend", Config(currency="EUR", rates={"USD": 0.9}))
       cost currency  cost_original
    0  90.0      USD          100.0
    1  10.0      NaN           10.0
    """
    columns = [c for c in money_columns(kind) if c in table.columns]
    if not columns or "currency" not in table.columns:
        return table
    codes = currencies(table, config.currency)
    if (codes == config.currency).all() and not any(
        c + ORIGINAL_SUFFIX in table.columns for c in columns
    ):
        return table
    rates = _rate_table(config)
    rate = codes.map(rates).astype("float64")
    missing = rate.isna()
    if missing.any():
        found = codes[missing].value_counts()
        where = f" ({file})" if file else ""
        listed = ", ".join(f"{code} ({n:,} rows)" for code, n in found.items())
        code = found.index[0]
        raise ConfigError(
            f"the {kind} table{where} has amounts in {listed}, and the project "
            f"currency is {config.currency}, but there is no rate to convert "
            f"{code} into {config.currency}; add "
            f"'rates: {{{code}: <{config.currency} per {code}>}}' to the config"
        )
    out = table.copy()
    for column in columns:
        original = column + ORIGINAL_SUFFIX
        if original not in out.columns:
            out[original] = out[column]
        out[column] = (out[original] * rate.to_numpy(dtype=np.float64)).astype(
            "float64"
        )
    return out
