"""Build, evaluation and check scripts of mtdetect (run from the project root as
``python -m tools.NAME``); never imported by the package itself."""
