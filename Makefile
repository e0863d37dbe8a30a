# Two commands for a new user on a fresh machine with Python 3.11:
#   make demo   - create .venv, install, run the main job
#   make test   - create .venv, install, run the whole test suite
#   make fuzz   - the long property run (EXAMPLES=400 SEED=1)
#   make serve  - the screener's web app on http://127.0.0.1:8000/
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench fuzz install clean serve

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "python3.11 not found; set PYTHON=/path/to/python3.11"; exit 2; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# The web app's extra for `make serve`; every extra (Spark's pyspark is a few hundred MB, Playwright for the
# browser tests) only for the tests, so `make demo` stays light.
WEB_STAMP  := $(VENV)/.installed-web
TEST_STAMP := $(VENV)/.installed-all
$(WEB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,web]'
	@touch $(WEB_STAMP)
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,spark,web,webtest]'
	@touch $(TEST_STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/safeguard demo

serve: $(STAMP) $(WEB_STAMP)
	$(BIN)/safeguard serve

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

# The long property run (soundness, safety, scalar/columnar agreement): make fuzz EXAMPLES=2000 SEED=7
EXAMPLES ?= 400
SEED     ?= 1
fuzz: $(STAMP)
	$(BIN)/python benchmarks/property_run.py --examples $(EXAMPLES) --seed $(SEED)

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
