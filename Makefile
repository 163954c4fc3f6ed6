# Two commands do all the set-up on a fresh machine:
#   make lab    set up, then open the course in JupyterLab (learner's face: nbgrader's Validate only)
#   make test   set up, then run the whole test suite (the default environment, then the detectors,
#               every lesson and every exercise bank on the oldest, Colab's and the newest JAX)
PYTHON ?= python3
# JAX 0.12 needs Python >= 3.12, and Colab pairs JAX 0.7.2 with Python 3.13: found on PATH or under pyenv.
PYTHON313 ?= $(firstword $(shell command -v python3.13 >/dev/null 2>&1 && python3.13 -c 'import sys; print(sys.executable)' 2>/dev/null) $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13))
VENV := .venv
# The supported JAX range, and the versions the suite runs on.
JAX_DEFAULT := 0.10.2
JAX_OLDEST := 0.5.3
JAX_COLAB := 0.7.2
JAX_NEWEST := 0.12.0.1
# The other JAX environments install the package without its extras, so they get the course extra's
# pins of two slow imports here (measured by benchmarks/imports.py): ml_dtypes 0.7 takes 0.6 s of CPU on
# Python 3.11 (0.03 s on 3.13; 0.6.0 on either), in every kernel that imports JAX; jsonschema >= 4.24 builds
# rfc3987-syntax's 38 grammars when imported (1.6 s), in every process that imports nbformat (the grading
# command, its workers, nbgrader, each test worker). Older releases of both work the same for the course.
FAST_IMPORTS := "ml_dtypes<0.7" "jsonschema<4.24"
PYTEST_WORKERS ?= 2
# Jupyter finds this environment's kernel first, so `import autograder` works in every kernel.
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter

.PHONY: setup lab instructor test test-default test-oldest test-colab test-newest test-browser release lessons demo
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e ".[dev]" "jax[cpu]==$(JAX_DEFAULT)"
	touch $@

# One environment per other supported JAX: $(1) folder, $(2) Python, $(3) JAX version, $(4) extra pins.
# Each runs the detectors, the in-process exercise grading and the lessons (not nbgrader), so it gets
# the notebook runner, a kernel and what the lessons draw with. Its own `python3` kernel spec names
# this env's python, and its test target points JUPYTER_PATH at it, so lessons run on that JAX.
define jax_env
$(1)/.installed: pyproject.toml
	@test -n "$(2)" || { echo "$(1) needs $(5); set its path, e.g. make PYTHON313=/path/to/python3.13" >&2; exit 1; }
	$(2) -m venv $(1)
	$(1)/bin/python -m pip install -q --upgrade pip
	$(1)/bin/python -m pip install -q -e . "jax[cpu]==$(3)" $(4) $(FAST_IMPORTS) pytest pytest-xdist \
		"nbformat>=5.10" "nbclient>=0.10" ipykernel "matplotlib>=3.8" "ipywidgets>=8.1" "nbval>=0.11" pyyaml
	$(1)/bin/python -m ipykernel install --sys-prefix
	touch $$@
endef
$(eval $(call jax_env,.venv-oldest,$(PYTHON),$(JAX_OLDEST),"numpy<2.3",Python 3.10+))
$(eval $(call jax_env,.venv-colab,$(PYTHON313),$(JAX_COLAB),,Python 3.13))
$(eval $(call jax_env,.venv-newest,$(PYTHON313),$(JAX_NEWEST),,Python 3.13))

# The detectors, every lesson and every exercise bank on one more JAX: $(1) is the env folder.
EVERY_JAX_TESTS = JUPYTER_PATH=$(CURDIR)/$(1)/share/jupyter $(1)/bin/python -m pytest -n $(PYTEST_WORKERS) \
	-m "detectors or every_jax" tests/autograder tests/test_exercise_sets.py tests/test_lessons.py \
	tests/test_exercise_sources.py tests/test_ch2_cheatsheet_grading.py

# JupyterLab at the repository root, START_HERE.md open; headless, it prints the URL to open.
# Extra options for `jupyter lab`: make lab LAB_ARGS="--port=8890"
lab: setup
	$(VENV)/bin/python -m autograder lab $(LAB_ARGS)

# The instructor's face: the formgrader and Create Assignment too (solutions/ is the source, exercises/ the release).
instructor: setup
	$(VENV)/bin/python -m autograder lab --instructor $(LAB_ARGS)

test: test-default test-oldest test-colab test-newest

test-default: setup
	$(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) tests

test-oldest: .venv-oldest/.installed
	$(call EVERY_JAX_TESTS,.venv-oldest)

test-colab: .venv-colab/.installed
	$(call EVERY_JAX_TESTS,.venv-colab)

test-newest: .venv-newest/.installed
	$(call EVERY_JAX_TESTS,.venv-newest)

# The end-to-end tests in headless Chromium (Debian's `chromium` package) against `make lab`'s server;
# screenshots go to test-artifacts/screenshots/. They also run as part of test-default.
test-browser: setup
	$(VENV)/bin/python -m pytest -m browser tests/browser

# Regenerate exercises/ (the nbgrader release) from solutions/ (the nbgrader source).
release: setup
	$(VENV)/bin/python -m autograder release

# Execute every lesson in place, so the saved notebooks show their figures and widget state.
lessons: setup
	$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=300 notebooks/[0-9][0-9]_*.ipynb
	$(VENV)/bin/python -m autograder normalize-notebooks notebooks/[0-9][0-9]_*.ipynb

# Build a synthetic class from solutions/ (full marks, wrong answers, each anti-pattern, a crash,
# an endless loop, a malformed file), grade it, and print where the report is.
demo: setup
	rm -rf demo_class
	$(VENV)/bin/python -m autograder demo-class --out demo_class --students 12
	$(VENV)/bin/python -m autograder grade --course-dir demo_class --timeout 60
	@echo "Class report: demo_class/reports/class.png (and class_*.csv); feedback: demo_class/reports/*/feedback/"
