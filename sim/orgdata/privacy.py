"""Pseudonyms for people, teams and departments, so that a result can be shared without their names.

A pseudonym is a keyed BLAKE2b hash of the name, truncated: ``e-…`` for a person's id, ``team-…`` and
``dept-…``. The key is itself a keyed hash of the chart file's whole contents, so the same file gives the same
pseudonyms in every run (results of two runs can be compared) while nobody without the file can recompute
them, even knowing the ids' format: the key is not the file's SHA-256 that provenance publishes, and it is
dropped from the anonymised result. Another version of the chart gives different pseudonyms.

Truncation keeps pseudonyms short (12 hex digits for people, 8 for teams and departments); if two names would
share one, that kind of pseudonym is lengthened for everyone until none do, so pseudonyms are always distinct.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.orgdata.reader import OrgData


def pseudonyms(names: list[str] | np.ndarray, prefix: str, key: bytes, digits: int) -> list[str]:
    """Distinct pseudonyms for distinct names, stable for a given key."""
    person = prefix.encode()[:16]
    full = [hashlib.blake2b(str(name).encode("utf-8"), key=key, person=person).hexdigest() for name in names]
    distinct = len(set(full))
    while full and digits < len(full[0]) and len({h[:digits] for h in full}) < distinct:
        digits = min(2 * digits, len(full[0]))
    return [f"{prefix}-{h[:digits]}" for h in full]


def anonymise(org: OrgData) -> OrgData:
    """The same organisation with every id, team and department name replaced by its pseudonym.

    Everything else (structure, levels, tenure, ties, survey values, provenance) is unchanged, and the result
    holds no key, so it cannot be anonymised again or have its pseudonyms recomputed.
    """
    if org.pseudonym_key is None:
        raise ValueError("this organisation is already anonymised")
    key = org.pseudonym_key
    team_names = pseudonyms(org.team_names, "team", key, 8)
    renamed = dict(zip(org.team_names, team_names))
    survey = org.survey
    if survey is not None:
        survey = dataclasses.replace(survey, suppressed=[renamed[t] for t in survey.suppressed])
    return dataclasses.replace(
        org,
        ids=np.asarray(pseudonyms(org.ids, "e", key, 12), dtype=str),
        department_names=pseudonyms(org.department_names, "dept", key, 8),
        team_names=team_names,
        survey=survey,
        pseudonym_key=None,
    )
