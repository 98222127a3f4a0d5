"""Reading exports into canonical tables, with every row accounted for."""

from leadkpi.io.profiles import BUILTIN as PROFILES
from leadkpi.io.read import read
from leadkpi.io.result import LoadResult

__all__ = ["read", "LoadResult", "PROFILES"]
