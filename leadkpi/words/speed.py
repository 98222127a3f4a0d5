"""Words of the speed-to-lead analysis, in English and Spanish."""

TEXT: dict[str, dict[str, str]] = {}

LABELS: dict[str, dict[str, str]] = {}
