"""The engine's three expression languages, one subpackage each with the same shape:

- ``search/``: the ``search`` command's language (terms, ``field=value``, NOT/OR/AND, IN, time bounds);
- ``eval/``: eval/where expressions (operators, the function library);
- ``stats/``: the statistical functions of stats, eventstats, streamstats, chart and timechart.

Each has ``parser.py`` (SPL text or tokens -> the tree in ``ast.py``), its evaluation (``compiler.py``:
tree -> closures for search and eval; ``functions``: the function tables of eval and stats) and
``__init__.py``, the API the commands import.
"""
