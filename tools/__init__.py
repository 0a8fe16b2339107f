"""Build-time tools of mtdetect (corpus, round trips, tables, evaluations); run as ``python -m
tools.NAME``. Never imported by the mtdetect package."""
