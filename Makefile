# The secretary's and developers' commands. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
YEAR   ?= 2026
SOURCE ?= source
OUT    ?= output
RUN    := $(BIN)/python -m generator

AGENDA := $(OUT)/uitvoeringsagenda-$(YEAR).docx
VOORTGANG   := $(OUT)/voortgangsrapportage-$(YEAR).docx
JAARVERSLAG := $(OUT)/jaarverslag-$(YEAR).docx
PEILDATUM ?=
PEIL_OPT := $(if $(PEILDATUM),--peildatum $(PEILDATUM),)
# Quoted, so folders with spaces work (make all OUT="map met spatie").
BUILD := $(RUN) build --year "$(YEAR)" --source "$(SOURCE)" --output "$(OUT)"

.PHONY: agenda voortgang jaarverslag all examples pdf preview check diff test lint templates clean help bench

help:
	@echo "make agenda   build $(AGENDA)"
	@echo "make voortgang   build $(VOORTGANG)"
	@echo "make jaarverslag build $(JAARVERSLAG)"
	@echo "make all      build every document (does nothing when no input changed)"
	@echo "make examples build all three from the fictitious examples/source into output/voorbeeld/"
	@echo "make pdf      build every document, then convert the changed ones to tagged PDF in $(OUT)/pdf (needs LibreOffice)"
	@echo "make preview  PNG images of the first pages of each PDF in $(OUT)/preview"
	@echo "make check    validate the source and templates, write nothing"
	@echo "make diff     what changed since the last commit (or: make diff A=rev B=rev) -> $(OUT)/diff/"
	@echo "make test     run linters and the whole test suite"
	@echo "make bench    time the pipeline (and pandoc); writes bench/results.md"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# The generator decides what is stale, not make: it keeps a hash of every input (each source,
# template and generator file by content, the library versions, YEAR, SOURCE, PEILDATUM) and does
# nothing when they and the documents are unchanged. make's time stamps cannot see a deleted chapter
# file, a file restored with its old time (cp -p, git stash pop) or another PEILDATUM.
agenda: $(STAMP)
	$(BUILD) agenda

voortgang: $(STAMP)
	$(BUILD) voortgang $(PEIL_OPT)

jaarverslag: $(STAMP)
	$(BUILD) jaarverslag

# All three in one process (one start instead of three).
all: $(STAMP)
	$(BUILD) $(PEIL_OPT)

examples:
	$(MAKE) all SOURCE=examples/source OUT="$(OUT)/voorbeeld"

pdf: all
	$(RUN) pdf --year "$(YEAR)" --output "$(OUT)"

preview: pdf
	$(RUN) preview --year "$(YEAR)" --output "$(OUT)"

check: $(STAMP)
	$(RUN) check --year "$(YEAR)" --source "$(SOURCE)" $(PEIL_OPT)

# Reviewers: A defaults to the last commit, B (empty) to the working tree.
A ?= HEAD
B ?=
diff: $(STAMP)
	$(RUN) diff $(A) $(B) --year "$(YEAR)" --source "$(SOURCE)" --output "$(OUT)/diff"

lint: $(STAMP)
	$(BIN)/ruff check generator tests templates bench
	$(BIN)/mypy

test: lint
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
	rm -rf "$(OUT)"
