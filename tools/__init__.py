"""Build-time tools of mtdetect (corpora, round trips, tables, evaluation); run as ``python -m
tools.NAME``; never imported at run time."""
