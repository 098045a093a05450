"""Run ``geomap`` as a user does, in a subprocess: shared by the CLI-level tests.

Imported as ``from run_cli import ...`` (this folder is on ``sys.path`` under
pytest's default import mode, as for ``samples.py``).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def geomap_cli(*args, cwd=ROOT, env=None, timeout=600):
    """``python -m geomap.cli ARGS`` in ``cwd``; the completed process, output as text."""
    return subprocess.run([sys.executable, "-m", "geomap.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
