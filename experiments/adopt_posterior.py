"""Make the installed posterior's representative point the defaults every preset inherits.

The defaults are literals in ``sim/scenario.py`` (a reader sees the value beside its description) and are
repeated in ``sim/scenarios/baseline.toml`` (the reference says what it rests on). This script rewrites both
from ``sim.calibration.posterior.load_posterior().representative()``, rounded to two decimals for the weights
and the intercept and three for the shares and spreads, so that a default never claims more precision than
the posterior carries. ``tests/test_calibrate.py`` checks that the defaults and the installed posterior agree
to that rounding, so the two cannot drift apart.

    uv run python experiments/adopt_posterior.py            # show the change
    uv run python experiments/adopt_posterior.py --write    # make it
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sim.calibration.posterior import load_posterior

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "sim" / "scenario.py"
BASELINE = ROOT / "sim" / "scenarios" / "baseline.toml"


def decimals(name: str) -> int:
    """Weights, intercepts and multipliers to 0.01; shares, rates, spreads and the friction weight to 0.001."""
    coarse = ("intention_bias", "reach_spread", "ask_bias", "answer_readiness")
    return 2 if name.startswith("w_") or name in coarse else 3


def rounded() -> dict[str, float]:
    return {name: round(value, decimals(name)) for name, value in load_posterior().representative().items()}


def rewrite_schema(text: str, values: dict[str, float]) -> str:
    for name, value in values.items():
        # `name: type = Field(` then the default, on the same line or the next one.
        pattern = re.compile(rf"(\n    {name}: [^=\n]+= Field\(\s*)([-0-9.]+)")
        text, count = pattern.subn(lambda m: f"{m.group(1)}{value!r}", text)  # noqa: B023 (used at once)
        if count != 1:
            raise SystemExit(f"{SCHEMA}: found {count} defaults of {name}, expected one")
    return text


def rewrite_baseline(text: str, values: dict[str, float]) -> str:
    for name, value in values.items():
        line = f"{name} = {value!r}"
        text, count = re.subn(rf"(?m)^{name} = .*$", line, text)
        if count == 0:
            section = "culture" if name == "safety_spread" else "behaviour"
            text = text.replace(f"[{section}]\n", f"[{section}]\n{line}\n", 1)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite sim/scenario.py and baseline.toml")
    args = parser.parse_args()
    values = rounded()
    for name, value in values.items():
        print(f"{name:18s} {value!r}")
    if args.write:
        SCHEMA.write_text(rewrite_schema(SCHEMA.read_text(), values))
        BASELINE.write_text(rewrite_baseline(BASELINE.read_text(), values))
        print(f"wrote {SCHEMA.relative_to(ROOT)} and {BASELINE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
