# Neural networks from scratch: set-up, build and tests.
#
#   make book    create .venv, install the pinned packages, run every notebook, build _build/html
#   make test    the whole suite: lint and architecture, unit tests, notebooks (as given and solved), website, browser test, PDF
#   make lint    ruff (lint and format), the layer contracts (import-linter) and mypy
#   make pdf     the whole book as one PDF, _build/pdf/nn-from-scratch.pdf (needs chromium)
#   make lab     JupyterLab on book/
#   make notebook  Notebook 7 (jupyter notebook) on book/
#   make bench   run the scripts in benchmarks/
#   make clean   remove what the build made (make distclean also removes .venv and node_modules)
#
# Every target installs what it needs first, so each works on a fresh clone with
# Python 3.11 and Node.js/npm (plus Debian's chromium for the browser test).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:
.PHONY: help venv vendor site book pdf lint test test-unit test-js test-notebooks test-solved test-site lab notebook bench clean distclean

# Python 3.11 creates the environment; set PYTHON=/path/to/python3.11 to choose another.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PYTEST := $(PY) -m pytest
JB     := $(BIN)/jupyter-book

# Notebooks of the book (the site build's and nbval's input); _build holds executed copies.
NOTEBOOKS = $(shell find book -name '*.ipynb' -not -path '*/_build/*' \
              -not -path '*/.ipynb_checkpoints/*' -not -path 'book/_static/*' | sort)
SOLVED   := build/solved
# The learner's package (mynn) of the unsolved run and of the website build: empty folders of their own.
UNSOLVED_MYNN := build/unsolved-mynn
SITE_MYNN     := build/site-mynn
# nbval: report errors only (--nbval-lax), use this environment's kernel, and give each
# cell the same time limit as the website build (_config.yml: execute.timeout).
NBVAL     = --nbval-lax --nbval-current-env --nbval-cell-timeout=120 -p no:cacheprovider

# Stamps that make the set-up steps idempotent and fast when nothing changed. Each holds
# a hash of its inputs: requirements.lock.txt + pyproject.toml; package-lock.json;
# nnlib's source + requirements.lock.txt.
VENV_STAMP  := $(VENV)/.nnfs-installed
NODE_STAMP  := node_modules/.nnfs-installed
CACHE_STAMP := _build/.nnfs-cache-key

# Print how long each step took: $(START) ... $(DONE)
START = SECONDS=0;
DONE  = echo "make $@: done in $${SECONDS} s"

help:
	@sed -n '3,11p' Makefile | sed 's/^# *//'

# --- environment -------------------------------------------------------------------

venv:
	@key=$$(cat requirements.lock.txt pyproject.toml | sha256sum | cut -d' ' -f1); \
	if [ -x $(PY) ] && $(PY) -c '' 2>/dev/null && [ "$$(cat $(VENV_STAMP) 2>/dev/null)" = "$$key" ]; then \
	  exit 0; fi; \
	$(START) \
	if [ -z "$(PYTHON)" ]; then \
	  echo "make: Python 3.11 not found: install it (e.g. apt-get install python3 python3-venv)" >&2; exit 1; fi; \
	version=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	if [ "$$version" != 3.11 ]; then \
	  echo "make: warning: $(PYTHON) is Python $$version; the pinned packages are tested on 3.11" >&2; fi; \
	if ! [ -x $(PY) ] || ! $(PY) -c '' 2>/dev/null; then \
	  echo "make: creating $(VENV) with $(PYTHON) (Python $$version)"; \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi; \
	echo "make: installing requirements.lock.txt and nnlib (editable) into $(VENV)"; \
	$(PY) -m pip install --disable-pip-version-check --no-input -q -r requirements.lock.txt; \
	$(PY) -m pip install --disable-pip-version-check --no-input -q --no-deps -e .; \
	echo "$$key" > $(VENV_STAMP); \
	$(DONE)

# MathJax, require.js and the widget manager, copied from npm into book/_static/vendor/
# so that the website works offline and requests nothing from another host.
vendor: venv
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null || \
	    ! node -e 'process.exit(parseInt(process.versions.node) >= 18 ? 0 : 1)'; then \
	  echo "make: the website build needs Node.js >= 18 and npm (to vendor MathJax and the" >&2; \
	  echo "      widget manager): apt-get install nodejs npm   (or see https://nodejs.org)" >&2; \
	  exit 1; fi; \
	key=$$(sha256sum package-lock.json | cut -d' ' -f1); \
	if [ "$$(cat $(NODE_STAMP) 2>/dev/null)" != "$$key" ]; then \
	  $(START) echo "make: npm ci (package-lock.json)"; \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	  echo "$$key" > $(NODE_STAMP); $(DONE); fi
	@$(PY) tools/vendor_assets.py

# --- the website -------------------------------------------------------------------

# Notebooks are executed with jupyter-cache (_config.yml: execute_notebooks: cache), which
# re-runs a notebook only when its code changed. The cache cannot see nnlib, so it is
# emptied whenever nnlib's source or the pinned environment changes; that includes the
# widgets' front ends (nnlib/widgets/static/*.js), which the executed notebooks keep in
# their saved widget state, so the website shows the current ones. A failed build
# drops Sphinx's saved environment, so the next build reports the same warnings again
# instead of skipping the pages that caused them.
site: venv vendor
	@key=$$( { find nnlib -type f \( -name '*.py' -o -name '*.mplstyle' -o -name '*.npz' -o -name '*.js' \) \
	             -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum; \
	           sha256sum requirements.lock.txt; } | sha256sum | cut -d' ' -f1); \
	if [ "$$(cat $(CACHE_STAMP) 2>/dev/null)" != "$$key" ]; then \
	  echo "make: nnlib or the environment changed: emptying the notebook execution cache"; \
	  rm -rf _build/.jupyter_cache _build/.doctrees; mkdir -p _build; echo "$$key" > $(CACHE_STAMP); fi
	@$(START) \
	rm -rf $(SITE_MYNN); \
	if ! NNLIB_CHECK_FIGURES=1 NNLIB_MYNN=$(CURDIR)/$(SITE_MYNN) $(JB) build . --builder html -W -n --keep-going; then \
	  rm -rf _build/.doctrees; \
	  echo "make: the website build failed (a notebook raised an error, or Sphinx warned: see above)" >&2; \
	  exit 1; fi; \
	$(DONE)

book: site
	@echo "make book: the website is in _build/html/ (open _build/html/index.html)"

# The whole book as one PDF: the single-page build (reusing the notebooks that `make site`
# executed) with solutions moved to an appendix, printed by chromium (tools/make_pdf.py).
pdf: site
	@$(START) \
	if ! command -v chromium >/dev/null; then \
	  echo "make: the PDF is printed with Debian's chromium: apt-get install -y chromium" >&2; exit 1; fi; \
	if ! $(JB) build . --builder singlehtml -W -n --keep-going -q; then \
	  echo "make: the single-page build for the PDF failed (see above)" >&2; exit 1; fi; \
	$(PY) tools/make_pdf.py --date "$$(git log -1 --format='%cs, commit %h' 2>/dev/null || true)"; \
	$(DONE)

# --- tests -------------------------------------------------------------------------

test: lint test-unit test-js test-notebooks test-solved test-site pdf
	@echo "make test: all steps passed"

# Lint and format (ruff, over the Python code and the notebooks), the architecture (import-linter:
# the layers of CONTRIBUTING.md, no import cycles) and the types of nnlib (mypy). `ruff format .`
# fixes a format error.
lint: venv
	@$(START) \
	$(BIN)/ruff check .; \
	$(BIN)/ruff format --check .; \
	$(BIN)/lint-imports --no-cache; \
	$(BIN)/mypy; \
	$(DONE)

# Unit tests of nnlib and the checkers, and the book hygiene tests.
test-unit: venv
	@$(START) $(PYTEST) tests --ignore=tests/browser; $(DONE)

# The website's JavaScript engine (nnlib/widgets/static/engine.js) against nnlib: fixtures exported
# from nnlib (same data, initial weights and batch order), then Node's built-in test runner.
test-js: venv
	@$(START) \
	if ! command -v node >/dev/null; then \
	  echo "make: the JavaScript engine's test needs Node.js >= 18: apt-get install nodejs" >&2; exit 1; fi; \
	rm -rf build/engine-fixtures; \
	$(PY) tools/export_engine_fixtures.py build/engine-fixtures; \
	NNLIB_ENGINE_FIXTURES=build/engine-fixtures node --test tests/js/; \
	$(DONE)

# Every notebook as the learner gets it: runs top to bottom without an error. Its learner's
# package (mynn, where correct checks save functions) is an empty folder of its own, so that
# neither a learner's book/mynn nor a solved run's changes what it runs; nothing may be saved there.
# NNLIB_CHECK_FIGURES=1 also makes every figure check that its text is legible on the website
# (nnlib/plot/legibility.py).
test-notebooks: venv
	@$(START) \
	if [ -z "$(NOTEBOOKS)" ]; then echo "make $@: no notebooks under book/ yet: nothing to run"; \
	else rm -rf $(UNSOLVED_MYNN); \
	  NNLIB_CHECK_FIGURES=1 NNLIB_MYNN=$(CURDIR)/$(UNSOLVED_MYNN) $(PYTEST) $(NBVAL) $(NOTEBOOKS); \
	  if [ -e $(UNSOLVED_MYNN) ]; then \
	    echo "make $@: the unsolved notebooks saved functions into $(UNSOLVED_MYNN):" >&2; ls -R $(UNSOLVED_MYNN) >&2; exit 1; fi; fi; \
	$(DONE)

# Every notebook with the solutions filled in, in the course's order (_toc.yml): every exercise
# check must say "correct" and save its function into $(SOLVED)/mynn, which later chapters run
# on; the capstone, last, trains "your network" on that package and must match nnlib.fit's test
# accuracy to the digit. Then every exercise that asks for a function must be saved there.
test-solved: venv
	@$(START) \
	if [ -z "$(NOTEBOOKS)" ]; then echo "make $@: no notebooks under book/ yet: nothing to solve"; \
	else rm -rf $(SOLVED); \
	  $(PY) -m nnlib.exercises.solve book $(SOLVED); \
	  ordered=$$(grep -o 'book/[A-Za-z0-9_/-]*' _toc.yml | sed 's|^book/|$(SOLVED)/|' | \
	             while read -r f; do if [ -f "$$f.ipynb" ]; then echo "$$f.ipynb"; fi; done); \
	  NNLIB_MYNN=$(CURDIR)/$(SOLVED)/mynn NNLIB_EXERCISE_STRICT=1 NNLIB_CHECK_FIGURES=1 $(PYTEST) $(NBVAL) $$ordered; \
	  NNLIB_MYNN=$(CURDIR)/$(SOLVED)/mynn $(PY) -m nnlib.exercises --require-all; fi; \
	$(DONE)

# The built website in headless Chromium (tests/browser/).
test-site: site
	@$(START) $(PYTEST) tests/browser; $(DONE)

# --- working on the course ---------------------------------------------------------

# (--allow-root only where you are root, e.g. in a container)
lab: venv
	$(BIN)/jupyter lab --ServerApp.root_dir=book $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Notebook 7, the classic notebook's successor: the same extensions (jupyterlab-myst, the widgets)
notebook: venv
	$(BIN)/jupyter notebook --ServerApp.root_dir=book $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Runs every script in benchmarks/ (notebook_times.py, mnist_mlp.py, ...); each prints its figures.
bench: venv
	@scripts=$$(find benchmarks -maxdepth 1 -name '*.py' -not -name '_*' 2>/dev/null | sort); \
	if [ -z "$$scripts" ]; then \
	  echo "make bench: no benchmark scripts in benchmarks/ (expected benchmarks/notebook_times.py" >&2; \
	  echo "            and benchmarks/mnist_mlp.py)" >&2; exit 1; fi; \
	for script in $$scripts; do \
	  echo "== $$script"; $(START) $(PY) "$$script"; echo "== $$script: $${SECONDS} s"; done

clean:
	rm -rf _build build book/_static/vendor .pytest_cache

distclean: clean
	rm -rf $(VENV) node_modules
