# dvm-advisor: `make run` opens the app (or runs the headless job), `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: screenshots run test lint typecheck unit integration ui clean

$(BIN)/python:
	scripts/provision-host build
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(APP_STAMP) $(PACKAGE_STAMP)

run: $(APP_STAMP)
	@scripts/run-app

test: $(TEST_STAMP)
	scripts/provision-host test
	$(MAKE) --no-print-directory lint typecheck
	$(BIN)/pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TEST_STAMP)
	scripts/typecheck

unit integration ui: $(TEST_STAMP)
	$(BIN)/pytest tests/$@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Translations: the words of advisor/ and probes/ into the gettext catalog (Babel), the app's
# words of ui/ into Qt's .ts (pyside6-lupdate), each compiled beside it (.mo, .qm), all kept
# in the repository (tests/unit/test_translations.py checks they match the source).
.PHONY: translations
translations: $(TEST_STAMP)
	$(BIN)/python scripts/translations.py

# Benchmarks, not part of `make test`: the probes against the raw tools and the app's own
# speed, printed as one table and written to docs/benchmarks.md (a few minutes).
.PHONY: bench
bench: $(TEST_STAMP)
	scripts/provision-host test
	$(BIN)/python bench/run.py

# --- Packaging: wheel and sdist, the self-contained build, the desktop entry ------------------
APP_ID := io.github.dvm_advisor.DvmAdvisor
PACKAGE_STAMP := $(VENV)/.package-tools-installed
# Where `make install-desktop` puts the entry, the metainfo and the icon, and what it launches.
DATA_HOME ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
DESKTOP_EXEC ?= $(BIN)/dvm-advisor
LAUNCHER := $(abspath $(DESKTOP_EXEC))

.PHONY: package package-test install-desktop

$(PACKAGE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[package]'
	touch $@

package: $(APP_STAMP) $(PACKAGE_STAMP)
	rm -rf dist/dvm_advisor-* dist/dvm-advisor
	$(BIN)/python -m build --outdir dist .
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/pyinstaller/dvm-advisor.spec
	@echo "built: $$(ls dist/dvm_advisor-*) dist/dvm-advisor/dvm-advisor"

package-test: $(TEST_STAMP) $(PACKAGE_STAMP)
	$(BIN)/pytest tests/packaging

# Installs for the current user (with the assessment's file type, so that a file manager opens
# one with the app), and refreshes the menu's, the file types' and the icon theme's caches where
# the desktop has the tools for it.
install-desktop: $(APP_STAMP)
	@[ -x "$(LAUNCHER)" ] || { echo "install-desktop: $(LAUNCHER) is not a program;" \
		"set DESKTOP_EXEC to the dvm-advisor to launch" >&2; exit 2; }
	install -d "$(DATA_HOME)/applications" "$(DATA_HOME)/metainfo" \
		"$(DATA_HOME)/icons/hicolor/scalable/apps" "$(DATA_HOME)/mime/packages"
	sed 's|^Exec=dvm-advisor |Exec="$(LAUNCHER)" |' packaging/linux/$(APP_ID).desktop \
		> "$(DATA_HOME)/applications/$(APP_ID).desktop"
	install -m 644 packaging/linux/$(APP_ID).metainfo.xml "$(DATA_HOME)/metainfo/"
	install -m 644 packaging/linux/icons/hicolor/scalable/apps/$(APP_ID).svg \
		"$(DATA_HOME)/icons/hicolor/scalable/apps/"
	install -m 644 packaging/linux/$(APP_ID).mime.xml "$(DATA_HOME)/mime/packages/$(APP_ID).xml"
	if command -v update-mime-database >/dev/null; then \
		update-mime-database "$(DATA_HOME)/mime"; fi
	if command -v update-desktop-database >/dev/null; then \
		update-desktop-database -q "$(DATA_HOME)/applications"; fi
	if command -v gtk-update-icon-cache >/dev/null; then \
		gtk-update-icon-cache -q -f -t "$(DATA_HOME)/icons/hicolor"; fi
	@echo "installed $(APP_ID) under $(DATA_HOME), launching $(LAUNCHER)"

screenshots: $(TEST_STAMP)
	scripts/provision-host test
	scripts/screenshots
