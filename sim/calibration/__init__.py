"""Calibration of the model on many emergent patterns at once, with a posterior (``kshare calibrate``).

The pieces, each usable on its own:

- ``statistics``: what a run produced, recorded week by week (``RunRecord``), and the registry of emergent
  statistics computed from it (``STATISTICS``);
- ``patterns``: the patterns the model should reproduce (``patterns.toml``): statistic, target band, source,
  and whether it is fitted or held out for validation;
- ``priors``: the uncertain parameters and their uniform ranges (``priors.toml``);
- ``abc``: the ABC-SMC fit with pyabc (the ``calibrate`` extra), its outputs and diagnostics;
- ``posterior``: reading a posterior file back (needs no pyabc): draws of parameter sets for ensembles.

See docs/calibration.md.
"""
