# Two commands for a new user: `make run` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format bench notebooks data install clean docs lab

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/asn-analysis run

test: $(STAMP)
	$(BIN)/python -m pytest tests notebooks --nbval-lax -p no:cacheprovider -n auto --dist loadfile --durations=15

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	@set -e; for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f; done

# Re-execute the committed notebooks in place on the bundled data (before committing them).
notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace notebooks/[0-9]*.ipynb

# The documentation site, offline, into docs/_build/html (open docs/_build/html/index.html).
# Warnings are errors; the committed notebooks are rendered, not executed.
docs: $(STAMP)
	$(BIN)/python -m sphinx -b html -c docs -W --keep-going -q . docs/_build/html -d docs/_build/doctrees

# JupyterLab on the project's environment, in notebooks/ (stop it with Ctrl-C). The notebooks'
# kernel "python3" is then .venv's Python (its kernel spec in .venv wins over a user's own).
# As root (a container), Jupyter refuses to start without --allow-root.
LAB_ARGS ?=
lab: $(STAMP)
	cd notebooks && JUPYTER_PREFER_ENV_PATH=1 $(abspath $(BIN))/jupyter lab $(LAB_ARGS) \
		$$(test "$$(id -u)" = 0 && echo --allow-root)

# Regenerate the bundled synthetic data with the default seed.
data: $(STAMP)
	$(BIN)/asn-analysis generate-data --out data/synthetic

clean:
	rm -rf reports .pytest_cache .ruff_cache docs/_build docs/api/generated
