"""Source profiles: the real export layouts leadkpi reads.

``BUILTIN`` lists every profile shipped with leadkpi, module by module; a module of
profiles exposes a tuple ``PROFILES`` and is added to the list below.
"""

from leadkpi.io.profiles import crm
from leadkpi.io.profiles.base import Profile, RawTable
from leadkpi.io.profiles.registry import detect, get_profile

#: Every built-in profile (CRM; ads, email and web profiles join this list).
BUILTIN: tuple[Profile, ...] = (*crm.PROFILES,)

__all__ = ["BUILTIN", "Profile", "RawTable", "detect", "get_profile"]
