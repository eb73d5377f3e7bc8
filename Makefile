# The secretary's and developers' commands. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
SOURCE ?= source
# The year is found, not typed: the newest year folder in $(SOURCE) (the CLI finds the same and says
# which when there are several); YEAR=2026 builds another.
NEWEST := $(lastword $(sort $(notdir $(patsubst %/,%,$(wildcard $(SOURCE)/[12][0-9][0-9][0-9]/)))))
YEAR   ?=
SHOWN_YEAR := $(or $(YEAR),$(NEWEST),<jaar>)
YEAR_OPT = $(if $(YEAR),--year "$(YEAR)",)
# pdf and preview read the built documents, not $(SOURCE): they are told the year make found there.
SOURCE_YEAR_OPT = $(if $(or $(YEAR),$(NEWEST)),--year "$(or $(YEAR),$(NEWEST))",)
OUT    ?= output
# Messages are Dutch; TAAL=en (or an English locale, LANG=en_GB.UTF-8) gives them in English.
TAAL   ?=
RUN    := $(BIN)/python -m generator $(if $(TAAL),--lang "$(TAAL)",)

AGENDA := $(OUT)/uitvoeringsagenda-$(SHOWN_YEAR).docx
VOORTGANG   := $(OUT)/voortgangsrapportage-$(SHOWN_YEAR).docx
JAARVERSLAG := $(OUT)/jaarverslag-$(SHOWN_YEAR).docx
PEILDATUM ?=
PEIL_OPT := $(if $(PEILDATUM),--peildatum $(PEILDATUM),)
# Quoted, so folders with spaces work (make all OUT="map met spatie").
BUILD := $(RUN) build $(YEAR_OPT) --source "$(SOURCE)" --output "$(OUT)"

.PHONY: agenda voortgang jaarverslag all examples pdf preview check diff overnemen test lint templates clean help check-live \
        bench uitvraag verwerk-uitvraag html preview-live nieuw-jaar messages schemas

help:
	@echo "make agenda   maakt $(AGENDA)"
	@echo "make voortgang   maakt $(VOORTGANG)"
	@echo "make jaarverslag maakt $(JAARVERSLAG)"
	@echo "make all      maakt alle documenten (doet niets als er niets veranderd is)"
	@echo "make examples maakt alle drie uit de fictieve voorbeeldgegevens (examples/source) in output/voorbeeld/"
	@echo "make pdf      maakt alle documenten en zet de gewijzigde om naar toegankelijke pdf in $(OUT)/pdf (LibreOffice nodig)"
	@echo "make preview  afbeeldingen (PNG) van de eerste pagina's van elke pdf in $(OUT)/preview"
	@echo "make html     de websiteversie (statische, toegankelijke HTML) in $(OUT)/html; open $(OUT)/html/index.html"
	@echo "make preview-live  toont $(OUT)/html op http://127.0.0.1:$(PORT)/ en maakt die opnieuw bij elke keer opslaan (stoppen: Ctrl-C)"
	@echo "make check    controleert de brongegevens en de sjablonen, schrijft niets"
	@echo "make check-live  controleert de brongegevens en opnieuw bij elke keer opslaan in $(SOURCE)/ of templates/ (stoppen: Ctrl-C)"
	@echo "make schemas  na een nieuwe partner of een gewijzigd model: werkt de schema's voor de editor bij (schemas/, examples/schemas/)"
	@echo "make diff     wat er veranderd is sinds de laatst vastgelegde versie (of: make diff A=versie B=versie) -> $(OUT)/diff/"
	@echo "make uitvraag PEILDATUM=2026-06-30   één Excel-werkmap per partner -> $(OUT)/uitvraag/<peildatum>/"
	@echo "make verwerk-uitvraag PEILDATUM=2026-06-30   de teruggestuurde werkmappen (source/<jaar>/uitvraag/<peildatum>/) -> voortgang"
	@echo "make diff VAN=2026 NAAR=2027   de agenda 2027 naast die van 2026 (nieuw, vervallen, meegenomen, begroting)"
	@echo "make nieuw-jaar VAN=2026 NAAR=2027   maakt $(SOURCE)/2027 uit $(SOURCE)/2026 (overschrijft nooit iets)"
	@echo "make overnemen BESTAND=beoordeeld.docx  neemt de bijgehouden wijzigingen van een beoordelaar over in de brongegevens (DRY_RUN=1: alleen tonen)"
	@echo "make test     controleert de code en draait alle tests"
	@echo "make messages na een gewijzigde melding in de code: werkt de Nederlandse vertalingen bij (generator/locale); vertaal dan de nieuwe"
	@echo "(zet TAAL=en achter een opdracht voor Engelse meldingen, bijvoorbeeld: make check TAAL=en)"
	@echo "make bench    meet de snelheid van de generator (en van pandoc); schrijft bench/results.md"

# Set-up prints one line; pip's output goes to $(VENV)/install.log, shown only when it fails.
INSTALL_LOG := $(VENV)/install.log
define install
	@test -x $(BIN)/python || out=$$($(PYTHON) -m venv $(VENV) 2>&1) || { \
	  echo "$$out"; echo "Kon $(VENV) niet maken met $(PYTHON) (op Debian/Ubuntu: apt-get install python3-venv)."; exit 1; }
	@{ $(BIN)/python -m pip install --upgrade pip && $(BIN)/python -m pip install -e '$(1)'; } > $(INSTALL_LOG) 2>&1 || { \
	  cat $(INSTALL_LOG); echo "De installatie is mislukt (het verslag hierboven staat in $(INSTALL_LOG))."; exit 1; }
endef

$(STAMP): pyproject.toml
	@echo "De generator en zijn bibliotheken worden in $(VENV) geïnstalleerd (alleen de eerste keer; een minuut of twee)..."
	$(call install,.[dev])
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
	$(RUN) pdf $(SOURCE_YEAR_OPT) --output "$(OUT)"

preview: pdf
	$(RUN) preview $(SOURCE_YEAR_OPT) --output "$(OUT)"

# The website edition: always rebuilt (fast; unchanged files are not rewritten).
PORT ?= 8000
html: $(STAMP)
	$(RUN) html $(YEAR_OPT) --source "$(SOURCE)" --output "$(OUT)" $(PEIL_OPT)

preview-live: $(STAMP)
	$(RUN) preview-live $(YEAR_OPT) --source "$(SOURCE)" --output "$(OUT)" --port $(PORT) $(PEIL_OPT)

check: $(STAMP)
	$(RUN) check $(YEAR_OPT) --source "$(SOURCE)" $(PEIL_OPT)

# The editors' loop: check, then check again on every save in $(SOURCE) or templates/ (Ctrl-C stops).
check-live: $(STAMP)
	$(RUN) check --watch $(YEAR_OPT) --source "$(SOURCE)" $(PEIL_OPT)

# The JSON Schemas editors' YAML editors read (.vscode/settings.json): one set per source folder,
# because the partner IDs of its partners.yaml are the allowed values. The examples' set is kept too.
schemas: $(STAMP)
	$(RUN) schemas "$(SOURCE)" $(if $(filter examples/source,$(SOURCE)),,examples/source)

# Reviewers: A defaults to the last commit, B (empty) to the working tree.
A ?= HEAD
B ?=
diff: $(STAMP)
	$(RUN) diff $(A) $(B) $(if $(or $(VAN),$(YEAR)),--year $(or $(VAN),$(YEAR)),) --source "$(SOURCE)" --output "$(OUT)/diff" $(if $(NAAR),--to-year $(NAAR),)

# The secretary's yearly step: next year's source from this year's.
# `make diff VAN=2026 NAAR=2027` compares the two years' agendas instead of two git revisions.
VAN  ?=
NAAR ?=
nieuw-jaar: $(STAMP)
	$(RUN) nieuw-jaar --van $(or $(VAN),$(YEAR),$(NEWEST)) --naar $(or $(NAAR),$(shell echo $$(($(or $(VAN),$(YEAR),$(NEWEST)) + 1)))) --source $(SOURCE)

# The uitvraag (README: "The uitvraag, step by step"). PEILDATUM is required for both.
uitvraag: $(STAMP)
	@test -n "$(PEILDATUM)" || { echo "Geef de peildatum op: make uitvraag PEILDATUM=2026-06-30" >&2; exit 1; }
	$(RUN) uitvraag maak --peildatum $(PEILDATUM) $(YEAR_OPT) --source "$(SOURCE)" --output "$(OUT)"

OVERWRITE ?=
verwerk-uitvraag: $(STAMP)
	@test -n "$(PEILDATUM)" || { echo "Geef de peildatum op: make verwerk-uitvraag PEILDATUM=2026-06-30" >&2; exit 1; }
	$(RUN) uitvraag verwerk --peildatum $(PEILDATUM) $(YEAR_OPT) --source "$(SOURCE)" $(if $(OVERWRITE),--overwrite,)

# make overnemen BESTAND=reviewed.docx [DRY_RUN=1]: reviewers' tracked changes into the source.
BESTAND ?=
overnemen: $(STAMP)
	@test -n "$(BESTAND)" || { echo "Gebruik: make overnemen BESTAND=beoordeeld.docx (meer bestanden: BESTAND=\"a.docx b.docx\")" >&2; exit 1; }
	$(RUN) overnemen $(BESTAND) $(YEAR_OPT) --source "$(SOURCE)" --report "$(OUT)/diff" $(if $(DRY_RUN),--dry-run,)

lint: $(STAMP)
	$(BIN)/ruff check generator tests templates bench tools/messages.py
	$(BIN)/mypy

# axe-core for the browser tests (pinned in tests/browser/package-lock.json), when npm is available.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is missing: the browser tests of the website edition are skipped (apt-get install npm chromium)"; fi

# The YAML language server for the schema test (pinned in tests/lsp/package-lock.json), when npm is available.
YAMLLS := tests/lsp/node_modules/yaml-language-server/bin/yaml-language-server
$(YAMLLS): tests/lsp/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/lsp --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is missing: the test through the YAML language server is skipped (apt-get install npm)"; fi

# Extract the messages from the code, keep the Dutch translations, compile the catalog gettext reads.
messages: $(STAMP)
	$(BIN)/python tools/messages.py

test: lint $(AXE) $(YAMLLS)
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
