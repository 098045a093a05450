"""notebooks/explore.ipynb runs top to bottom without an error."""

import importlib.util
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="needs nbformat (geomap[notebook])")
nbclient = pytest.importorskip("nbclient", reason="needs nbclient (geomap[notebook])")
pytest.importorskip("ipykernel", reason="needs ipykernel (geomap[notebook])")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore.ipynb"


def test_explore_notebook_runs(gazetteer_path):  # the kernel inherits GEOMAP_CACHE_DIR
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        "commit the notebook with its outputs cleared"
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    outputs = {i: c.outputs for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    text = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                   for cell in outputs.values() for o in cell)
    assert "mentions of" in text and "Moscow" in text
    sources = ["".join(c.source) for c in nb.cells if c.cell_type == "code"]
    assert any("geomap.focus(mentions)" in s for s in sources)
    assert any("geomap.to_geodataframe(" in s for s in sources)
    html_or_text = text + "".join(str(o.get("data", {}).get("text/html", ""))
                                  for cell in outputs.values() for o in cell)
    assert "place_name" in html_or_text and "confidence" in html_or_text  # the focus table
    if importlib.util.find_spec("geopandas"):
        assert "EPSG:4326" in text  # the GeoDataFrame's CRS
    html = "".join(str(o.get("data", {}).get("text/html", ""))
                   for cell in outputs.values() for o in cell)
    assert "leaflet" in html.lower()  # the map rendered inline
