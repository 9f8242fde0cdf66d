"""An organisation read from an L&D strategist's own files (chart, ties, survey) instead of generated.

``read_org(chart, ties, survey)`` checks all three and returns ``OrgData`` (plain numpy arrays), or raises
``OrgDataError`` listing every problem with its file, rows and column. ``anonymise(org)`` replaces ids, team
and department names with stable pseudonyms.
"""

from sim.orgdata.privacy import anonymise
from sim.orgdata.problems import OrgDataError, Problem
from sim.orgdata.reader import LIMITS, Limits, OrgData, read_org
from sim.orgdata.survey import MEASURES, SCALES, Survey

__all__ = [
    "LIMITS",
    "MEASURES",
    "SCALES",
    "Limits",
    "OrgData",
    "OrgDataError",
    "Problem",
    "Survey",
    "anonymise",
    "read_org",
]
