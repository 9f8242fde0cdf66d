"""The versions that made a result, as every output file records them."""

from __future__ import annotations

import platform

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
