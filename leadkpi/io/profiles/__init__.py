"""Source profiles: the real export layouts leadkpi reads."""

from leadkpi.io.profiles.base import Profile, RawTable

__all__ = ["Profile", "RawTable"]
