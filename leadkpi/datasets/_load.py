"""The sample company as a project: its exports and ``leadkpi.yaml``, as shipped."""

from __future__ import annotations

from leadkpi.data import LeadData
from leadkpi.project import CONFIG_NAME, load
from leadkpi.resources import bundled


def load_sample() -> LeadData:
    """Load the sample company that ships with leadkpi, from its vendor exports.

    Works wherever leadkpi is installed: the exports and their ``leadkpi.yaml``
    are package data (``leadkpi.resources.bundled("sample")``).

    Returns
    -------
    LeadData

    Examples
    --------
    >>> data = load_sample()
    >>> data.config.name
    'Nubalia Cloud (sample company)'
    >>> len(data.leads)
    6000
    """
    return load(bundled("sample") / CONFIG_NAME)
