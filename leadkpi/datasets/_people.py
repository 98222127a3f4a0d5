"""Who the leads are: accounts, firmographics, names, e-mail addresses, owners."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadkpi.datasets._company import (
    COUNTRIES,
    DOMAIN_WORDS,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    OWNERS,
    SIZES,
    TITLES,
)
from leadkpi.datasets._text import labels, pick

__all__ = ["People"]

_ACCOUNTS_PER_LEAD = 0.8


class People:
    """Per-lead attributes, as integer codes into the company tables plus text.

    Accounts are drawn first (size, country, industry, web domain); leads are then
    spread over accounts, larger companies getting more contacts.
    """

    def __init__(self, n: int, rng: np.random.Generator) -> None:
        n_accounts = int(n * _ACCOUNTS_PER_LEAD) + 1
        size = rng.choice(len(SIZES), n_accounts, p=_shares(SIZES))
        country = rng.choice(len(COUNTRIES), n_accounts, p=_shares(COUNTRIES))
        industry = rng.choice(len(INDUSTRIES), n_accounts, p=_shares(INDUSTRIES))
        contacts = np.array([s[3] for s in SIZES])[size]
        contacts = contacts * rng.lognormal(0.0, 0.6, n_accounts)
        account = rng.choice(n_accounts, n, p=contacts / contacts.sum())
        #: account code per lead, numbered by first appearance (0, 1, 2, ...)
        self.account = pd.factorize(account)[0]
        self.size = size[account]
        self.country = country[account]
        self.industry = industry[account]
        self.title = rng.choice(len(TITLES), n, p=_shares(TITLES))
        self.owner = rng.choice(len(OWNERS), n, p=_shares(OWNERS))
        domains = _domains(country, rng)
        first = pick(FIRST_NAMES, rng.integers(0, len(FIRST_NAMES), n))
        last = pick(LAST_NAMES, rng.integers(0, len(LAST_NAMES), n))
        self.email = first + "." + last + "@" + pick(domains, account)

    def quality(self) -> np.ndarray:
        """Quality shift from company size, industry and seniority."""
        return (
            np.array([s[2] for s in SIZES])[self.size]
            + np.array([i[2] for i in INDUSTRIES])[self.industry]
            + np.array([t[2] for t in TITLES])[self.title]
        )

    def frame(self, total: int) -> pd.DataFrame:
        """Text columns: account_id, email, country, industry, company_size, ..."""
        return pd.DataFrame(
            {
                "account_id": labels("A", self.account + 1, total),
                "email": self.email,
                "country": _names(COUNTRIES, self.country),
                "industry": _names(INDUSTRIES, self.industry),
                "company_size": _names(SIZES, self.size),
                "job_title": _names(TITLES, self.title),
                "owner": _names(OWNERS, self.owner),
            }
        )


def _shares(table: tuple[tuple, ...]) -> np.ndarray:
    shares = np.array([row[1] for row in table], dtype=float)
    return shares / shares.sum()


def _names(table: tuple[tuple, ...], codes: np.ndarray) -> pd.Series:
    return pick([row[0] for row in table], codes)


def _domains(country: np.ndarray, rng: np.random.Generator) -> pd.Series:
    """A web domain per account: two words + the country's TLD, unique per country.

    Words are numbered (``albasoft2.es``) only once a country runs out of pairs.
    """
    left, right = DOMAIN_WORDS
    pairs = len(left) * len(right)
    rank = pd.Series(country).groupby(country).cumcount().to_numpy()
    pair = rng.permutation(pairs)[rank % pairs]
    again = rank // pairs
    number = pd.Series(again + 1, dtype="int64").astype("str").where(again > 0, "")
    words = pick(left, pair // len(right)) + pick(right, pair % len(right))
    return words + number + "." + pick([c[2] for c in COUNTRIES], country)
