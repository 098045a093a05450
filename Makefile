# Two commands do all set-up: `make map` (map of seeds/) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: map test lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

map: $(VENV)/.installed
	$(BIN)/geomap map seeds -o out/seeds_map.html --geojson out/seeds_places.geojson

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check geomap gazetteer tests

clean:
	rm -rf $(VENV) out
