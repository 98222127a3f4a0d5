"""Reading exports into canonical tables, with every row accounted for."""

from leadkpi.io.read import PROFILES, read
from leadkpi.io.result import LoadResult

__all__ = ["read", "LoadResult", "PROFILES"]
