"""Build-time tools of mtdetect (corpora, tables, evaluation); never imported at run time."""
