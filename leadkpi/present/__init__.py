"""Everything a reader sees: formatting, tables, charts, words and narrative.

The engine (:mod:`leadkpi.kpis`) and the analyses (:mod:`leadkpi.funnel`,
:mod:`leadkpi.retention`, :mod:`leadkpi.attribution`, :mod:`leadkpi.scoring`…) return
plain DataFrames, with units and counting mode as columns or ``attrs``. This package
sits above them and nothing below imports from it:

* :mod:`~leadkpi.present.i18n` and :mod:`~leadkpi.present.words`: the words of every
  report, one catalogue per language;
* :mod:`~leadkpi.present.tables` and the ``*_tables`` modules: formatted, localised
  tables (numbers and dates through babel), every text from data escaped;
* :mod:`~leadkpi.present.plots`: axes-level charts with one theme;
* :mod:`~leadkpi.present.display` and :mod:`~leadkpi.present.show`: results shown
  formatted in Jupyter;
* :mod:`~leadkpi.present.sections` and :mod:`~leadkpi.present.monthly_sections`: the
  report's sections, each one notebook cell.
"""
