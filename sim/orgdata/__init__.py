"""An organisation read from an L&D strategist's own files instead of generated.

``read_org(chart, ties=None, survey=None, *, survey_scale="1-5", min_respondents=None)`` checks all the files
and returns ``OrgData`` (plain numpy arrays, employee i being the chart's i-th data row), or raises
``OrgDataError`` listing every problem in every file, each with its file, rows and column. ``anonymise(org)``
replaces ids, team and department names with stable pseudonyms.

Files are comma-separated UTF-8, with or without a byte-order mark. Header names are matched without regard
to case, surrounding spaces or ' ', '-' against '_', and a name close to a known one is refused as a likely
misspelling. Surrounding spaces are removed from values and blank lines skipped. Any other column is read past
and only its name kept, in ``OrgData.ignored_columns``.

* chart: ``id, manager_id, department, team`` and optionally ``level`` (staff, senior, manager, leader; an
  empty cell is inferred) and ``tenure_weeks``. One row per employee; exactly one empty ``manager_id`` (the
  head). Ids, departments and teams are text, kept as given; a team sits in one department. Levels not given
  are inferred (sim/orgdata/chart.py).
* ties: ``source, target`` (chart ids) and optionally ``weight`` (> 0, empty = 1).
* survey: ``team`` (chart team names), at least one of ``psychological_safety, recognition, reciprocation,
  ease, self_efficacy``, optionally ``respondents`` and ``min_respondents`` (sim/orgdata/survey.py).

A semicolon- or tab-separated file is refused with a message saying so, rather than read, because such files
(from spreadsheets in countries that write decimal commas) often hold decimal commas too, which would be
misread. Row numbers in messages are the spreadsheet's, the header being row 1. Limits are in ``Limits``.
"""

from sim.orgdata.privacy import anonymise
from sim.orgdata.problems import OrgDataError, Problem
from sim.orgdata.reader import LIMITS, Limits, OrgData, Provenance, read_org
from sim.orgdata.survey import MEASURES, SCALES, Survey

__all__ = [
    "LIMITS",
    "MEASURES",
    "SCALES",
    "Limits",
    "OrgData",
    "OrgDataError",
    "Problem",
    "Provenance",
    "Survey",
    "anonymise",
    "read_org",
]
