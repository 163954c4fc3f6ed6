# Two commands do all the set-up on a fresh machine:
#   make lab    set up, then open the course in JupyterLab (learner's face: nbgrader's Validate only)
#   make test   set up, then run the whole test suite (newest JAX; detectors, exercise grading and lessons on the oldest JAX)
PYTHON ?= python3
VENV := .venv
OLDEST_VENV := .venv-oldest
# The supported JAX range: the oldest a Colab runtime shipped in the last year, and the newest.
JAX_OLDEST := 0.5.3
JAX_NEWEST := 0.10.2
PYTEST_WORKERS ?= 2
# Jupyter finds this environment's kernel first, so `import autograder` works in every kernel.
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter

.PHONY: setup lab instructor test test-newest test-oldest test-browser release lessons demo
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e ".[dev]" "jax[cpu]==$(JAX_NEWEST)"
	touch $@

# The oldest env runs the detectors, the in-process exercise grading and the lessons (not nbgrader),
# so it gets the notebook runner, a kernel and what the lessons draw with. Its own `python3` kernel
# spec names this env's python, and test-oldest points JUPYTER_PATH at it, so lessons run on $(JAX_OLDEST).
$(OLDEST_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install -q --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install -q -e . "jax[cpu]==$(JAX_OLDEST)" "numpy<2.3" pytest pytest-xdist \
		"nbformat>=5.10" "nbclient>=0.10" ipykernel "matplotlib>=3.8" "ipywidgets>=8.1" "nbval>=0.11"
	$(OLDEST_VENV)/bin/python -m ipykernel install --sys-prefix
	touch $@

# JupyterLab at the repository root, START_HERE.md open; headless, it prints the URL to open.
# Extra options for `jupyter lab`: make lab LAB_ARGS="--port=8890"
lab: setup
	$(VENV)/bin/python -m autograder lab $(LAB_ARGS)

# The instructor's face: the formgrader and Create Assignment too (solutions/ is the source, exercises/ the release).
instructor: setup
	$(VENV)/bin/python -m autograder lab --instructor $(LAB_ARGS)

test: test-newest test-oldest

test-newest: setup
	$(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) tests

# On the oldest JAX: the detectors, plus the tests marked `oldest` (reference solutions and banks
# graded in-process, lessons and exercise sources run under nbval in this env's kernel). Real nbgrader runs on the newest only.
test-oldest: $(OLDEST_VENV)/.installed
	JUPYTER_PATH=$(CURDIR)/$(OLDEST_VENV)/share/jupyter $(OLDEST_VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) \
		-m "detectors or oldest" tests/autograder tests/test_exercise_sets.py tests/test_lessons.py tests/test_exercise_sources.py

# The end-to-end tests in headless Chromium (Debian's `chromium` package) against `make lab`'s server;
# screenshots go to test-artifacts/screenshots/. They also run as part of test-newest.
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
