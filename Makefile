# The secretary's and developers' commands. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
YEAR   ?= 2026
SOURCE ?= source
OUT    ?= output
# Messages are Dutch; TAAL=en (or an English locale, LANG=en_GB.UTF-8) gives them in English.
TAAL   ?=
RUN    := $(BIN)/python -m generator $(if $(TAAL),--lang "$(TAAL)",)

AGENDA := $(OUT)/uitvoeringsagenda-$(YEAR).docx
VOORTGANG   := $(OUT)/voortgangsrapportage-$(YEAR).docx
JAARVERSLAG := $(OUT)/jaarverslag-$(YEAR).docx
PEILDATUM ?=
PEIL_OPT := $(if $(PEILDATUM),--peildatum $(PEILDATUM),)
# Quoted, so folders with spaces work (make all OUT="map met spatie").
BUILD := $(RUN) build --year "$(YEAR)" --source "$(SOURCE)" --output "$(OUT)"

.PHONY: agenda voortgang jaarverslag all examples pdf preview check diff overnemen test lint templates clean help \
        bench uitvraag verwerk-uitvraag html preview-live nieuw-jaar messages

help:
	@echo "make agenda   build $(AGENDA)"
	@echo "make voortgang   build $(VOORTGANG)"
	@echo "make jaarverslag build $(JAARVERSLAG)"
	@echo "make all      build every document (does nothing when no input changed)"
	@echo "make examples build all three from the fictitious examples/source into output/voorbeeld/"
	@echo "make pdf      build every document, then convert the changed ones to tagged PDF in $(OUT)/pdf (needs LibreOffice)"
	@echo "make preview  PNG images of the first pages of each PDF in $(OUT)/preview"
	@echo "make html     the website edition (static, accessible HTML) in $(OUT)/html; open $(OUT)/html/index.html"
	@echo "make preview-live  serve $(OUT)/html on http://127.0.0.1:$(PORT)/ and rebuild it on every save (Ctrl-C stops)"
	@echo "make check    validate the source and templates, write nothing"
	@echo "make diff     what changed since the last commit (or: make diff A=rev B=rev) -> $(OUT)/diff/"
	@echo "make uitvraag PEILDATUM=2026-06-30   one Excel workbook per partner -> $(OUT)/uitvraag/<peildatum>/"
	@echo "make verwerk-uitvraag PEILDATUM=2026-06-30   the returned workbooks (source/<year>/uitvraag/<peildatum>/) -> voortgang"
	@echo "make diff VAN=2026 NAAR=2027   the 2027 agenda against the 2026 agenda (new, dropped, carried over, budget)"
	@echo "make nieuw-jaar VAN=2026 NAAR=2027   create $(SOURCE)/2027 from $(SOURCE)/2026 (never overwrites)"
	@echo "make overnemen BESTAND=reviewed.docx  take a reviewer's tracked changes into the source (DRY_RUN=1: only show them)"
	@echo "make test     run linters and the whole test suite"
	@echo "make messages after changing a message in the code: update the Dutch catalog (generator/locale), then translate"
	@echo "(add TAAL=en to any command for English messages)"
	@echo "make bench    time the pipeline (and pandoc); writes bench/results.md"

# Set-up prints one line; pip's output goes to $(VENV)/install.log, shown only when it fails.
INSTALL_LOG := $(VENV)/install.log
define install
	@test -x $(BIN)/python || out=$$($(PYTHON) -m venv $(VENV) 2>&1) || { \
	  echo "$$out"; echo "Could not create $(VENV) with $(PYTHON) (on Debian/Ubuntu: apt-get install python3-venv)."; exit 1; }
	@{ $(BIN)/python -m pip install --upgrade pip && $(BIN)/python -m pip install -e '$(1)'; } > $(INSTALL_LOG) 2>&1 || { \
	  cat $(INSTALL_LOG); echo "Installation failed (the log above is in $(INSTALL_LOG))."; exit 1; }
endef

$(STAMP): pyproject.toml
	@echo "Installing the generator and its libraries into $(VENV) (first run only; a minute or two)..."
	$(call install,.[dev])
	@rm -f $(VENV)/.installed-*
	@touch $@

# Python reads compiled modules from __pycache__, but where PYTHONDONTWRITEBYTECODE is set (as on
# some shared machines) it never writes them, and every run compiles the generator's modules
# afresh (a tenth of a `make check`). Compile them once after each change.
PYCACHE := generator/__pycache__/.compiled
$(PYCACHE): $(STAMP) $(shell find generator -name '*.py' 2>/dev/null)
	@$(BIN)/python -m compileall -q generator > /dev/null
	@touch $@

# The generator decides what is stale, not make: it keeps a hash of every input (each source,
# template and generator file by content, the library versions, YEAR, SOURCE, PEILDATUM) and does
# nothing when they and the documents are unchanged. make's time stamps cannot see a deleted chapter
# file, a file restored with its old time (cp -p, git stash pop) or another PEILDATUM.
agenda: $(STAMP) | $(PYCACHE)
	$(BUILD) agenda

voortgang: $(STAMP) | $(PYCACHE)
	$(BUILD) voortgang $(PEIL_OPT)

jaarverslag: $(STAMP) | $(PYCACHE)
	$(BUILD) jaarverslag

# All three in one process (one start instead of three).
all: $(STAMP) | $(PYCACHE)
	$(BUILD) $(PEIL_OPT)

examples:
	$(MAKE) all SOURCE=examples/source OUT="$(OUT)/voorbeeld"

pdf: all
	$(RUN) pdf --year "$(YEAR)" --output "$(OUT)"

preview: pdf
	$(RUN) preview --year "$(YEAR)" --output "$(OUT)"

# The website edition: always rebuilt (fast; unchanged files are not rewritten).
PORT ?= 8000
html: $(STAMP) $(PYCACHE)
	$(RUN) html --year "$(YEAR)" --source "$(SOURCE)" --output "$(OUT)" $(PEIL_OPT)

preview-live: $(STAMP) $(PYCACHE)
	$(RUN) preview-live --year "$(YEAR)" --source "$(SOURCE)" --output "$(OUT)" --port $(PORT) $(PEIL_OPT)

check: $(STAMP) $(PYCACHE)
	$(RUN) check --year "$(YEAR)" --source "$(SOURCE)" $(PEIL_OPT)

# Reviewers: A defaults to the last commit, B (empty) to the working tree.
A ?= HEAD
B ?=
diff: $(STAMP) $(PYCACHE)
	$(RUN) diff $(A) $(B) --year $(or $(VAN),$(YEAR)) --source "$(SOURCE)" --output "$(OUT)/diff" $(if $(NAAR),--to-year $(NAAR),)

# The secretary's yearly step: next year's source from this year's.
# `make diff VAN=2026 NAAR=2027` compares the two years' agendas instead of two git revisions.
VAN  ?=
NAAR ?=
nieuw-jaar: $(STAMP) $(PYCACHE)
	$(RUN) nieuw-jaar --van $(or $(VAN),$(YEAR)) --naar $(or $(NAAR),$(shell echo $$(($(or $(VAN),$(YEAR)) + 1)))) --source $(SOURCE)

# The uitvraag (README: "The uitvraag, step by step"). PEILDATUM is required for both.
uitvraag: $(STAMP) $(PYCACHE)
	@test -n "$(PEILDATUM)" || { echo "Give the peildatum: make uitvraag PEILDATUM=2026-06-30" >&2; exit 1; }
	$(RUN) uitvraag maak --peildatum $(PEILDATUM) --year $(YEAR) --source "$(SOURCE)" --output "$(OUT)"

OVERWRITE ?=
verwerk-uitvraag: $(STAMP) $(PYCACHE)
	@test -n "$(PEILDATUM)" || { echo "Give the peildatum: make verwerk-uitvraag PEILDATUM=2026-06-30" >&2; exit 1; }
	$(RUN) uitvraag verwerk --peildatum $(PEILDATUM) --year "$(YEAR)" --source "$(SOURCE)" $(if $(OVERWRITE),--overwrite,)

# make overnemen BESTAND=reviewed.docx [DRY_RUN=1]: reviewers' tracked changes into the source.
BESTAND ?=
overnemen: $(STAMP) $(PYCACHE)
	@test -n "$(BESTAND)" || { echo "usage: make overnemen BESTAND=reviewed.docx (several: BESTAND=\"a.docx b.docx\")"; exit 1; }
	$(RUN) overnemen $(BESTAND) --year $(YEAR) --source "$(SOURCE)" --report "$(OUT)/diff" $(if $(DRY_RUN),--dry-run,)

lint: $(STAMP)
	$(BIN)/ruff check generator tests templates bench tools/messages.py
	$(BIN)/mypy

# axe-core for the browser tests (pinned in tests/browser/package-lock.json), when npm is available.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is missing: the browser tests of the website edition are skipped (apt-get install npm chromium)"; fi

# Extract the messages from the code, keep the Dutch translations, compile the catalog gettext reads.
messages: $(STAMP)
	$(BIN)/python tools/messages.py

test: lint $(AXE)
	$(BIN)/pytest

# The benchmark needs pandoc too; kept out of what `make test` installs.
BENCH_EXTRAS := .[dev,bench]
BENCH_STAMP := $(VENV)/.bench-$(shell cksum < pyproject.toml | cut -d' ' -f1)

$(BENCH_STAMP): $(STAMP)
	@echo "Installing pandoc for the benchmark into $(VENV)..."
	$(call install,$(BENCH_EXTRAS))
	@rm -f $(VENV)/.bench-*
	@touch $@

BENCH_ARGS ?= --wait-quiet 60
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.bench_pipeline $(BENCH_ARGS)

templates: $(STAMP)
	$(BIN)/python templates/make_templates.py

clean:
	rm -rf "$(OUT)"
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m generator.preload stop; fi
