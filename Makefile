# Two commands do all the set-up on a fresh machine:
#   make lab    set up, then open the course in JupyterLab
#   make test   set up, then run the whole test suite (newest JAX, and the detectors on the oldest JAX)
PYTHON ?= python3
VENV := .venv
OLDEST_VENV := .venv-oldest
# The supported JAX range: the oldest a Colab runtime shipped in the last year, and the newest.
JAX_OLDEST := 0.5.3
JAX_NEWEST := 0.10.2
PYTEST_WORKERS ?= 2
# Jupyter finds this environment's kernel first, so `import autograder` works in every kernel.
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter

.PHONY: setup lab test test-newest test-oldest release lessons
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e ".[dev]" "jax[cpu]==$(JAX_NEWEST)"
	touch $@

$(OLDEST_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install -q --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install -q -e . "jax[cpu]==$(JAX_OLDEST)" "numpy<2.3" pytest pytest-xdist
	touch $@

lab: setup
	$(VENV)/bin/jupyter lab notebooks/

test: test-newest test-oldest

test-newest: setup
	$(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) tests

test-oldest: $(OLDEST_VENV)/.installed
	$(OLDEST_VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) -m detectors tests/autograder

# Regenerate exercises/ (the nbgrader release) from solutions/ (the nbgrader source).
release: setup
	for dir in solutions/*/; do \
		$(VENV)/bin/nbgrader generate_assignment "$$(basename $$dir)" --force --log-level=WARN || exit 1; \
	done

# Execute every lesson in place, so the saved notebooks show their figures and widget state.
lessons: setup
	$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=300 notebooks/[0-9][0-9]_*.ipynb
