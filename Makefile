# Two commands do all set-up: `make map` (map of seeds/) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: map test lint clean system-deps

# setup.py compiles these (mypyc, and the C extensions): a change to one
# rebuilds (the lists are geomap/speedups.py's COMPILED and NATIVE, read from there)
SPEEDUP_SOURCES = $(shell $(PYTHON) -c "import runpy; s = runpy.run_path('geomap/speedups.py'); print(*s['COMPILED'], *s['NATIVE'])")

$(VENV)/.installed: pyproject.toml setup.py $(SPEEDUP_SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	# byte-compile the sources now, as installing a wheel does (an editable
	# install leaves it to the first run, or to none with PYTHONDONTWRITEBYTECODE)
	$(BIN)/python -m compileall -q geomap gazetteer
	touch $@

map: $(VENV)/.installed
	$(BIN)/geomap map seeds -o out/seeds_map.html --geojson out/seeds_places.geojson

test: $(VENV)/.installed system-deps
	$(BIN)/python -m pytest -q

# Debian's chromium (browser tests) and gdal-bin (ogrinfo); installed when we
# may, otherwise those tests skip with a reason.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v ogrinfo >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages chromium gdal-bin"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gdal-bin >/dev/null; \
	  else echo "note: chromium/gdal-bin missing: browser and ogrinfo tests will skip"; fi; \
	fi

# ruff, and mypy on geomap and gazetteer ([tool.mypy] in pyproject.toml)
lint: $(VENV)/.installed
	$(BIN)/ruff check geomap gazetteer tests
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) out
