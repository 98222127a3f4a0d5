"""Words of the funnel, cohort and time-between-stages analyses (en, es)."""

TEXT: dict[str, dict[str, str]] = {}

LABELS: dict[str, dict[str, str]] = {}
