"""Words of the retention and LTV analyses, in English and Spanish."""

TEXT: dict[str, dict[str, str]] = {}

LABELS: dict[str, dict[str, str]] = {}
