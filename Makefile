# The secretary's and developers' commands. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
YEAR   ?= 2026
SOURCE ?= source
OUT    ?= output
RUN    := $(BIN)/python -m generator

INPUTS := $(shell find $(SOURCE) templates generator -type f -not -name '*.pyc' 2>/dev/null)
AGENDA := $(OUT)/uitvoeringsagenda-$(YEAR).docx
VOORTGANG   := $(OUT)/voortgangsrapportage-$(YEAR).docx
JAARVERSLAG := $(OUT)/jaarverslag-$(YEAR).docx
PEILDATUM ?=
PEIL_OPT := $(if $(PEILDATUM),--peildatum $(PEILDATUM),)

.PHONY: agenda voortgang jaarverslag all examples pdf preview check diff test lint templates clean help bench \
        uitvraag verwerk-uitvraag \
        html preview-live nieuw-jaar

help:
	@echo "make agenda   build $(AGENDA)"
	@echo "make voortgang   build $(VOORTGANG)"
	@echo "make jaarverslag build $(JAARVERSLAG)"
	@echo "make all      build every document"
	@echo "make examples build all three from the fictitious examples/source into output/voorbeeld/"
	@echo "make pdf      build every document, then convert them to tagged PDF in $(OUT)/pdf (needs LibreOffice)"
	@echo "make preview  PNG images of the first pages of each PDF in $(OUT)/preview"
	@echo "make html     the website edition (static, accessible HTML) in $(OUT)/html; open $(OUT)/html/index.html"
	@echo "make preview-live  serve $(OUT)/html on http://127.0.0.1:$(PORT)/ and rebuild it on every save (Ctrl-C stops)"
	@echo "make check    validate the source and templates, write nothing"
	@echo "make diff     what changed since the last commit (or: make diff A=rev B=rev) -> $(OUT)/diff/"
	@echo "make uitvraag PEILDATUM=2026-06-30   one Excel workbook per partner -> $(OUT)/uitvraag/<peildatum>/"
	@echo "make verwerk-uitvraag PEILDATUM=2026-06-30   the returned workbooks (source/<year>/uitvraag/<peildatum>/) -> voortgang"
	@echo "make diff VAN=2026 NAAR=2027   the 2027 agenda against the 2026 agenda (new, dropped, carried over, budget)"
	@echo "make nieuw-jaar VAN=2026 NAAR=2027   create $(SOURCE)/2027 from $(SOURCE)/2026 (never overwrites)"
	@echo "make test     run linters and the whole test suite"
	@echo "make bench    time the pipeline (and pandoc); writes bench/results.md"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

agenda: $(AGENDA)

$(AGENDA): $(STAMP) $(INPUTS)
	$(RUN) build agenda --year $(YEAR) --source $(SOURCE) --output $(OUT)
	@touch $@

voortgang: $(VOORTGANG)

$(VOORTGANG): $(STAMP) $(INPUTS)
	$(RUN) build voortgang --year $(YEAR) --source $(SOURCE) --output $(OUT) $(PEIL_OPT)
	@touch $@

jaarverslag: $(JAARVERSLAG)

$(JAARVERSLAG): $(STAMP) $(INPUTS)
	$(RUN) build jaarverslag --year $(YEAR) --source $(SOURCE) --output $(OUT)
	@touch $@

# `make all` builds every out-of-date document in one process (one start instead of three); the
# stamp records that, and is ignored when a document is missing.
DOCS      := $(AGENDA) $(VOORTGANG) $(JAARVERSLAG)
ALL_STAMP := $(OUT)/.all-$(YEAR)
ifneq ($(words $(wildcard $(DOCS))),$(words $(DOCS)))
.PHONY: $(ALL_STAMP)
endif

all: $(ALL_STAMP)

$(ALL_STAMP): $(STAMP) $(INPUTS)
	$(RUN) build --year $(YEAR) --source $(SOURCE) --output $(OUT) $(PEIL_OPT)
	@touch $(DOCS) $@

examples:
	$(MAKE) all SOURCE=examples/source OUT=$(OUT)/voorbeeld

pdf: all
	$(RUN) pdf --year $(YEAR) --output $(OUT)

preview: pdf
	$(RUN) preview --year $(YEAR) --output $(OUT)

# The website edition: always rebuilt (fast; unchanged files are not rewritten).
PORT ?= 8000
html: $(STAMP)
	$(RUN) html --year $(YEAR) --source $(SOURCE) --output $(OUT) $(PEIL_OPT)

preview-live: $(STAMP)
	$(RUN) preview-live --year $(YEAR) --source $(SOURCE) --output $(OUT) --port $(PORT) $(PEIL_OPT)

check: $(STAMP)
	$(RUN) check --year $(YEAR) --source $(SOURCE) $(PEIL_OPT)

# Reviewers: A defaults to the last commit, B (empty) to the working tree.
A ?= HEAD
B ?=
diff: $(STAMP)
	$(RUN) diff $(A) $(B) --year $(or $(VAN),$(YEAR)) --source $(SOURCE) --output $(OUT)/diff $(if $(NAAR),--to-year $(NAAR),)

# The secretary's yearly step: next year's source from this year's.
# `make diff VAN=2026 NAAR=2027` compares the two years' agendas instead of two git revisions.
VAN  ?=
NAAR ?=
nieuw-jaar: $(STAMP)
	$(RUN) nieuw-jaar --van $(or $(VAN),$(YEAR)) --naar $(or $(NAAR),$(shell echo $$(($(or $(VAN),$(YEAR)) + 1)))) --source $(SOURCE)

# The uitvraag (README: "The uitvraag, step by step"). PEILDATUM is required for both.
uitvraag: $(STAMP)
	@test -n "$(PEILDATUM)" || { echo "Give the peildatum: make uitvraag PEILDATUM=2026-06-30" >&2; exit 1; }
	$(RUN) uitvraag maak --peildatum $(PEILDATUM) --year $(YEAR) --source $(SOURCE) --output $(OUT)

OVERWRITE ?=
verwerk-uitvraag: $(STAMP)
	@test -n "$(PEILDATUM)" || { echo "Give the peildatum: make verwerk-uitvraag PEILDATUM=2026-06-30" >&2; exit 1; }
	$(RUN) uitvraag verwerk --peildatum $(PEILDATUM) --year $(YEAR) --source $(SOURCE) $(if $(OVERWRITE),--overwrite,)

lint: $(STAMP)
	$(BIN)/ruff check generator tests templates bench
	$(BIN)/mypy

# axe-core for the browser tests (pinned in tests/browser/package-lock.json), when npm is available.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is missing: the browser tests of the website edition are skipped (apt-get install npm chromium)"; fi

test: lint $(AXE)
	$(BIN)/pytest

# The benchmark needs pandoc too; kept out of what `make test` installs.
BENCH_STAMP := $(VENV)/.bench-$(shell cksum < pyproject.toml | cut -d' ' -f1)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@rm -f $(VENV)/.bench-*
	@touch $@

BENCH_ARGS ?= --wait-quiet 60
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.bench_pipeline $(BENCH_ARGS)

templates: $(STAMP)
	$(BIN)/python templates/make_templates.py

clean:
	rm -rf $(OUT)
