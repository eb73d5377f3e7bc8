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

.PHONY: agenda voortgang jaarverslag all examples pdf preview check diff overnemen test lint templates clean help bench

help:
	@echo "make agenda   build $(AGENDA)"
	@echo "make voortgang   build $(VOORTGANG)"
	@echo "make jaarverslag build $(JAARVERSLAG)"
	@echo "make all      build every document"
	@echo "make examples build all three from the fictitious examples/source into output/voorbeeld/"
	@echo "make pdf      build every document, then convert them to tagged PDF in $(OUT)/pdf (needs LibreOffice)"
	@echo "make preview  PNG images of the first pages of each PDF in $(OUT)/preview"
	@echo "make check    validate the source and templates, write nothing"
	@echo "make diff     what changed since the last commit (or: make diff A=rev B=rev) -> $(OUT)/diff/"
	@echo "make overnemen BESTAND=reviewed.docx  take a reviewer's tracked changes into the source (DRY_RUN=1: only show them)"
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

check: $(STAMP)
	$(RUN) check --year $(YEAR) --source $(SOURCE) $(PEIL_OPT)

# Reviewers: A defaults to the last commit, B (empty) to the working tree.
A ?= HEAD
B ?=
diff: $(STAMP)
	$(RUN) diff $(A) $(B) --year $(YEAR) --source $(SOURCE) --output $(OUT)/diff

# make overnemen BESTAND=reviewed.docx [DRY_RUN=1]: reviewers' tracked changes into the source.
BESTAND ?=
overnemen: $(STAMP)
	@test -n "$(BESTAND)" || { echo "usage: make overnemen BESTAND=reviewed.docx (several: BESTAND=\"a.docx b.docx\")"; exit 1; }
	$(RUN) overnemen $(BESTAND) --year $(YEAR) --source $(SOURCE) --report $(OUT)/diff $(if $(DRY_RUN),--dry-run,)

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
	rm -rf $(OUT)
