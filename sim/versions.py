"""The versions that made a result, as every output file records them."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import mesa
import numpy as np

import sim


def versions() -> dict[str, str]:
    """kshare, Mesa, numpy and Python: what a reader needs to make the same numbers again."""
    return {
        "kshare_version": sim.__version__,
        "mesa_version": mesa.__version__,
        "numpy_version": np.__version__,
        "python": platform.python_version(),
    }


def write_measurement(path: Path, **fields: Any) -> None:
    """A benchmark's figures as JSON, with what they were measured on and with: a figure without its machine,
    date and versions cannot be compared with the next one."""
    record = {
        **versions(),
        "machine": platform.platform(),
        "cores": os.cpu_count(),
        "measured": time.strftime("%Y-%m-%d %H:%M"),
        **fields,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
