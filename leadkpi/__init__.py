"""leadkpi: B2B lead-generation KPIs, from real exports to a rendered report."""

from leadkpi._version import __version__

__all__ = ["__version__"]
