"""Report words by subject, in English and Spanish, gathered by
:mod:`leadkpi.present.i18n`.

Each module holds two dictionaries: ``TEXT`` (sentences and headings, keyed by id,
with ``{placeholders}``) and ``LABELS`` (display names of ids such as buckets).
"""
