"""Source profiles: the real export layouts leadkpi reads.

``BUILTIN`` lists every profile shipped with leadkpi, module by module; a module of
profiles exposes a tuple ``PROFILES`` and is added to the list below.
"""

from leadkpi.io.profiles import ads, crm, email, outreach, salesforce, web
from leadkpi.io.profiles.base import Profile, RawTable
from leadkpi.io.profiles.registry import detect, get_profile

#: Every built-in profile: CRM, ad platforms, e-mail, web analytics, outreach.
BUILTIN: tuple[Profile, ...] = (
    *crm.PROFILES,
    *salesforce.PROFILES,
    *ads.PROFILES,
    *email.PROFILES,
    *web.PROFILES,
    *outreach.PROFILES,
)

__all__ = ["BUILTIN", "Profile", "RawTable", "detect", "get_profile"]
