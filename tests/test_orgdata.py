"""Reading an organisation from a strategist's own files: what comes through, and what is refused and how."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from sim.orgdata import LIMITS, Limits, OrgDataError, anonymise, read_org
from sim.orgdata.chart import SENIOR_WEEKS, cycle_members
from sim.orgdata.privacy import pseudonyms
from sim.scenario import LEVELS

CHART = """id,manager_id,department,team,email,name
007,,Direction,Board,ceo@example.com,Ada Boss
b2,007,Ventes & Marketing,Nord,b2@example.com,Bea
c3,b2,Ventes & Marketing,Nord,c3@example.com,Cy
d4,b2,Ventes & Marketing,Nord,d4@example.com,Di
e5,007,Opérations,Plant 1,e5@example.com,Ed
f6,e5,Opérations,Plant 1,f6@example.com,Fi
g7,e5,Opérations,Plant 1,g7@example.com,Gus
"""


def some[T](value: T | None) -> T:
    assert value is not None
    return value


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def refused(*args, **kwargs) -> str:
    with pytest.raises(OrgDataError) as caught:
        read_org(*args, **kwargs)
    return str(caught.value)


def chart_with(tmp_path: Path, rows: list[str], header: str = "id,manager_id,department,team") -> Path:
    return write(tmp_path, "chart.csv", "\n".join([header, *rows]) + "\n")


# ------------------------------------------------------------------ what comes through
def test_a_small_chart_round_trips_exactly(tmp_path):
    org = read_org(write(tmp_path, "chart.csv", CHART))
    assert org.ids.tolist() == ["007", "b2", "c3", "d4", "e5", "f6", "g7"]  # "007" stays text
    assert org.manager_of.tolist() == [-1, 0, 1, 1, 0, 4, 4]
    assert org.department_names == ["Direction", "Ventes & Marketing", "Opérations"]
    assert org.team_names == ["Board", "Nord", "Plant 1"]
    assert [org.department_names[d] for d in org.department] == ["Direction"] + ["Ventes & Marketing"] * 3 + [
        "Opérations"
    ] * 3
    assert [org.team_names[t] for t in org.team] == ["Board"] + ["Nord"] * 3 + ["Plant 1"] * 3
    assert org.team_department.tolist() == [0, 1, 2]
    assert org.team_manager.tolist() == [0, 1, 4]
    assert org.manager_of.dtype == np.int32 and org.team.dtype == np.int32 and org.level.dtype == np.int8
    assert org.tenure is None and org.ties is None and org.survey is None
    assert org.provenance["chart"]["rows"] == 7


def test_quoted_values_keep_their_commas_and_quotes(tmp_path):
    org = read_org(chart_with(tmp_path, ['a,,"Sales, EMEA","Team ""A"""', 'b,a,"Sales, EMEA","Team ""A"""']))
    assert org.department_names == ["Sales, EMEA"] and org.team_names == ['Team "A"']


def test_a_long_path_is_shown_by_its_end(tmp_path):
    folder = tmp_path / ("x" * 120)
    folder.mkdir()
    message = refused(write(folder, "chart.csv", b""))
    assert message.startswith("...") and message.endswith("chart.csv: is empty")


def test_a_utf8_byte_order_mark_and_crlf_line_ends_are_accepted(tmp_path):
    path = write(tmp_path, "chart.csv", b"\xef\xbb\xbf" + CHART.replace("\n", "\r\n").encode())
    org = read_org(path)
    assert org.ids[0] == "007" and org.team_names[-1] == "Plant 1"


def test_levels_are_inferred_from_reporting_lines_and_tenure(tmp_path):
    # a head, a manager of managers, two team managers, staff with long and short tenure
    rows = [
        "h,,D,T0,600",
        "m,h,D,T0,600",
        "t1,m,D,T1,600",
        "t2,m,D,T2,10",
        "s1,t1,D,T1,600",
        f"s2,t1,D,T1,{SENIOR_WEEKS - 1}",
        f"s3,t2,D,T2,{SENIOR_WEEKS}",
    ]
    org = read_org(chart_with(tmp_path, rows, "id,manager_id,department,team,tenure_weeks"))
    assert [LEVELS[v] for v in org.level] == ["leader", "leader", "manager", "manager", "senior", "staff", "senior"]
    assert org.levels_inferred == 7
    assert some(org.tenure).tolist() == [600, 600, 600, 10, 600, SENIOR_WEEKS - 1, SENIOR_WEEKS]
    # without tenure nobody can be seen to be senior
    org = read_org(chart_with(tmp_path, [r.rsplit(",", 1)[0] for r in rows]))
    assert [LEVELS[v] for v in org.level] == ["leader", "leader", "manager", "manager", "staff", "staff", "staff"]
    assert any("nobody is inferred senior" in note for note in org.notes)


def test_given_levels_are_used_and_an_empty_one_is_inferred(tmp_path):
    rows = ["h,,D,T,Leader", "a,h,D,T,senior", "b,h,D,T,", "c,b,D,T,STAFF"]
    org = read_org(chart_with(tmp_path, rows, "id,manager_id,department,team,level"))
    assert [LEVELS[v] for v in org.level] == ["leader", "senior", "manager", "staff"]
    assert org.levels_inferred == 1


def test_a_team_is_managed_by_whom_most_of_it_reports_to(tmp_path):
    # team X is run from outside (by h); in team Y its manager y1 sits in it, with one report
    rows = ["h,,D,T0", "x1,h,D,X", "x2,h,D,X", "y1,h,D,Y", "y2,y1,D,Y"]
    org = read_org(chart_with(tmp_path, rows))
    assert org.team_manager.tolist() == [0, 0, 3]


def test_ties_and_weights(tmp_path):
    chart = write(tmp_path, "chart.csv", CHART)
    ties = write(tmp_path, "ties.csv", "source,target,weight,channel\nc3,d4,2.5,teams\nf6,007,,mail\nc3,d4,1e-1,x\n")
    org = read_org(chart, ties)
    assert some(org.ties).tolist() == [[2, 3], [5, 0], [2, 3]]
    assert some(org.tie_weight).dtype == np.float32
    np.testing.assert_allclose(some(org.tie_weight), np.array([2.5, 1.0, 0.1]), rtol=1e-6)
    assert org.ignored_columns["ties"] == ["channel"]


# ------------------------------------------------------------------ survey
def test_survey_converts_team_means_to_the_unit_interval(tmp_path):
    chart = write(tmp_path, "chart.csv", CHART)
    survey = write(
        tmp_path,
        "survey.csv",
        "team,respondents,psychological_safety,ease\nNord,6,7,1\nPlant 1,3,4,\nPlant 1,3,1,4\n",
    )
    org = read_org(chart, survey=survey, survey_scale="1-7")
    safety = some(org.survey).values["psychological_safety"]
    assert np.isnan(safety[0])  # Board gave no answers
    assert safety[1] == pytest.approx(1.0)
    assert safety[2] == pytest.approx((2.5 - 1) / 6)  # 6 respondents in two rows of 3: their mean, 2.5
    assert some(org.survey).values["ease"][2] == pytest.approx((4 - 1) / 6)  # only the row that answered
    assert some(some(org.survey).respondents).tolist() == [0, 6, 6]
    assert some(org.survey).suppressed == []
    assert set(some(org.survey).values) == {"psychological_safety", "ease"}


def test_teams_with_too_few_respondents_are_not_used_and_the_result_says_so(tmp_path):
    chart = write(tmp_path, "chart.csv", CHART)
    survey = write(tmp_path, "survey.csv", "team,respondents,recognition\nNord,5,0.8\nPlant 1,4,0.2\n")
    org = read_org(chart, survey=survey, survey_scale="0-1")
    assert some(org.survey).values["recognition"][1] == pytest.approx(0.8)
    assert np.isnan(some(org.survey).values["recognition"][2])
    assert some(org.survey).suppressed == ["Plant 1"]
    assert any("1 team(s) with fewer than 5 respondents not used" in note for note in org.notes)
    org = read_org(chart, survey=survey, survey_scale="0-1", min_respondents=4)
    assert some(org.survey).suppressed == [] and some(org.survey).values["recognition"][2] == pytest.approx(0.2)
    # the threshold may come from the file instead, but not from both when they differ
    survey = write(tmp_path, "s2.csv", "team,respondents,min_respondents,recognition\nNord,5,6,0.8\nPlant 1,9,,1\n")
    assert some(read_org(chart, survey=survey, survey_scale="0-1").survey).suppressed == ["Nord"]
    assert "give one of them" in refused(chart, survey=survey, survey_scale="0-1", min_respondents=5)


def test_without_a_respondents_column_every_team_is_used(tmp_path):
    chart = write(tmp_path, "chart.csv", CHART)
    survey = write(tmp_path, "survey.csv", "team,self_efficacy\nNord,5\nNord,3\n")
    org = read_org(chart, survey=survey)  # the default scale, 1-5
    assert some(org.survey).values["self_efficacy"][1] == pytest.approx(0.75)
    assert some(org.survey).respondents is None and some(org.survey).suppressed == []
    assert any("no respondents column" in note for note in org.notes)


# ------------------------------------------------------------------ what is refused, and how
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["a,,D,T", "b,a,D,T", "b,a,D,T"], ["column 'id'", "rows 3, 4", "more than one row: 'b'"]),
        (["a,,D,T", "b,zz,D,T"], ["column 'manager_id'", "row 3", "not the id of anyone", "'zz'"]),
        (["a,c,D,T", "b,a,D,T", "c,b,D,T"], ["nobody is at the top"]),
        (["a,,D,T", "b,,D,T"], ["rows 2, 3", "2 people have an empty manager_id"]),
        (
            ["a,,D,T", "b,c,D,T", "c,d,D,T", "d,b,D,T", "e,d,D,T"],
            ["rows 3, 4, 5", "circle", "'b' -> 'c' -> 'd' -> 'b'"],
        ),
        (["a,,D,T", "b,b,D,T"], ["row 3", "their own manager"]),
        (["a,,D,T", "b,a,E,T", "c,a,D,T"], ["column 'team'", "row 3", "team 'T' has members in 2 departments"]),
        (["a,,D,T", ",a,D,T", "c,a,,T"], ["column 'id', row 3: the id is empty", "column 'department', row 4"]),
        ([",,D,T", "b,,D,T"], ["column 'id', row 2: the id is empty", "2 people have an empty manager_id"]),
    ],
)
def test_chart_problems_name_the_file_rows_and_column(tmp_path, rows, expected):
    message = refused(chart_with(tmp_path, rows))
    assert "chart.csv" in message
    for text in expected:
        assert text in message
    assert "the header is row 1" in message


def test_bad_levels_and_tenure_are_named(tmp_path):
    rows = ["a,,D,T,boss,10", "b,a,D,T,staff,ten", "c,a,D,T,staf,-3", "d,a,D,T,senior,"]
    message = refused(chart_with(tmp_path, rows, "id,manager_id,department,team,level,tenure_weeks"))
    assert "column 'level', rows 2, 4: not a level: 'boss', 'staf'; expected one of staff, senior" in message
    assert "column 'tenure_weeks', row 3: not a number of weeks" in message
    assert "column 'tenure_weeks', row 4: outside 0 to 3,120 weeks" in message
    assert "column 'tenure_weeks', row 5: the tenure is empty" in message
    assert message.startswith(f"{tmp_path / 'chart.csv'}: 4 problems")


def test_header_names_are_matched_without_case_or_spaces_but_never_twice(tmp_path):
    org = read_org(chart_with(tmp_path, ["a,,D,T,x,y", "b,a,D,T,x,y"], "ID, Manager_ID ,Department,TEAM,note,note"))
    assert org.manager_of.tolist() == [-1, 0] and org.ignored_columns["chart"] == ["note", "note"]
    message = refused(chart_with(tmp_path, ["a,,D,T,U"], "id,manager_id,department,team,Team"))
    assert "column 'team': the header names column 'team' more than once" in message


def test_a_misspelt_optional_column_is_refused_rather_than_ignored(tmp_path):
    chart = write(tmp_path, "chart.csv", CHART)
    survey = write(tmp_path, "survey.csv", "Team,Psychological Safety,respondent,ease\nNord,3,5,2\n")
    message = refused(chart, survey=survey)
    assert "column 'respondent': not a column kshare reads, but close to 'respondents'" in message
    assert "Psychological Safety" not in message  # read, as psychological_safety
    survey = write(tmp_path, "survey.csv", "Team,Psychological Safety,respondents\nNord,3,5\n")
    assert some(read_org(chart, survey=survey).survey).values["psychological_safety"][1] == pytest.approx(0.5)


def test_a_missing_column_suggests_the_nearest_name(tmp_path):
    message = refused(chart_with(tmp_path, ["a,,D,T"], "id,manager,department,teams"))
    assert "column 'manager_id': required column is missing (is 'manager' meant to be it?)" in message
    assert "column 'team': required column is missing (is 'teams' meant to be it?)" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf\n  \n", "is empty"),
        (b"id,manager_id,department,team\n", "has a header but no employees"),
        ("id,manager_id,department,team\na,,Caf\xe9,T\n".encode("latin-1"), "is not UTF-8 text: byte 37 (line 2)"),
        ("id,manager_id,department,team\na,,D,T\n".encode("utf-16"), "is UTF-16 text"),
        (b"id;manager_id;department;team\na;;D;T\n", "separated by semicolons (';'), not commas"),
        (b"id\tmanager_id\tdepartment\tteam\na\t\tD\tT\n", "separated by tabs, not commas"),
        (b"id;manager_id;department, division;team\na;;D;T\n", "separated by semicolons (';'), not commas"),
    ],
)
def test_unreadable_files_say_why(tmp_path, content, expected):
    message = refused(write(tmp_path, "chart.csv", content))
    assert "chart.csv" in message and expected in message


def test_a_ragged_row_is_named_and_later_rows_keep_their_numbers(tmp_path):
    text = "id,manager_id,department,team\na,,D,T\n\nb,a,D,T,extra\nc,zz,D,T\n"
    message = refused(write(tmp_path, "chart.csv", text))
    assert "row 4: has a different number of fields from the header's 4" in message
    assert "column 'manager_id', row 5: not the id of anyone in the chart: 'zz'" in message


def test_ties_problems_are_named(tmp_path):
    chart = write(tmp_path, "chart.csv", CHART)
    ties = write(
        tmp_path, "ties.csv", "source,target,weight\nc3,d4,1\nc3,c3,1\nxx,d4,1\nc3,yy,0\nc3,d4,lots\nc3,d4,1e40\n"
    )
    message = refused(chart, ties)
    assert "ties.csv: 5 problems" in message
    assert "column 'weight', rows 5, 7: a weight must be a positive number" in message
    assert "column 'source', row 4: not the id of anyone in the chart: 'xx'" in message
    assert "column 'target', row 5: not the id of anyone in the chart: 'yy'" in message
    assert "column 'target', row 3: a tie from a person to themselves" in message
    assert "column 'weight', row 6: not a number" in message


def test_survey_problems_are_named(tmp_path):
    chart = write(tmp_path, "chart.csv", CHART)
    survey = write(tmp_path, "survey.csv", "team,respondents,ease\nNord,5,6\nSouth,5,3\nPlant 1,five,3,5\n")
    message = refused(chart, survey=survey)
    assert "column 'ease', row 2: outside the declared scale 1-5" in message
    assert "column 'team', row 3: not a team in the chart: 'South'" in message
    assert "row 4: has a different number of fields" in message
    assert "no measure columns" in refused(chart, survey=write(tmp_path, "s.csv", "team,score\nNord,3\n"))
    assert "'1-10' is not one of 1-5, 1-7, 0-1" in refused(
        chart, survey=write(tmp_path, "s.csv", "team,ease\nNord,3\n"), survey_scale="1-10"
    )
    assert "respondents', row 2: not a number" in refused(
        chart, survey=write(tmp_path, "s.csv", "team,respondents,ease\nNord,x,3\n")
    )


def test_every_problem_in_every_file_is_listed_at_once(tmp_path):
    chart = chart_with(tmp_path, ["a,,D,T", "a,,D,T", "b,q,D,T"])
    ties = write(tmp_path, "ties.csv", "source,target\nb,b\nzz,a\n")
    survey = write(tmp_path, "survey.csv", "team,ease\nX,9\n")
    with pytest.raises(OrgDataError) as caught:
        read_org(chart, ties, survey)
    files = {Path(p.file).name for p in caught.value.problems}
    assert files == {"chart.csv", "ties.csv", "survey.csv"}
    message = str(caught.value)
    for text in ["more than one row: 'a'", "2 people have an empty manager_id", "'q'", "themselves", "'zz'", "'X'"]:
        assert text in message
    assert "outside the declared scale" in message


def test_many_teams_spanning_departments_make_few_problems(tmp_path):
    rows = ["h,,D0,T0"] + [f"p{i},h,D{i % 2},T{i // 2}" for i in range(2, 40)]
    with pytest.raises(OrgDataError) as caught:
        read_org(chart_with(tmp_path, rows))
    assert len(caught.value.problems) == 4
    assert "16 more teams have members in several departments: 'T4', 'T5'" in str(caught.value)


def test_a_missing_file_is_named(tmp_path):
    assert "no such file" in refused(tmp_path / "nowhere.csv")


# ------------------------------------------------------------------ privacy
def test_ignored_columns_are_listed_and_their_values_kept_nowhere(tmp_path):
    org = read_org(write(tmp_path, "chart.csv", CHART))
    assert org.ignored_columns == {"chart": ["email", "name"]}
    stored = pickle.dumps(org) + repr(org).encode()
    for secret in ["example.com", "Ada Boss", "Gus"]:
        assert secret.encode() not in stored
    assert str(tmp_path).encode() not in stored  # provenance holds a digest, not the path
    assert len(org.provenance["chart"]["sha256"]) == 64


def test_anonymise_is_stable_and_hides_every_name(tmp_path):
    path = write(tmp_path, "chart.csv", CHART)
    ties = write(tmp_path, "ties.csv", "source,target\nc3,d4\n")
    survey = write(tmp_path, "survey.csv", "team,respondents,ease\nNord,1,3\n")
    org = read_org(path, ties, survey)
    first, again = anonymise(org), anonymise(read_org(path, ties, survey))
    assert first.ids.tolist() == again.ids.tolist() and first.team_names == again.team_names
    assert all(i.startswith("e-") for i in first.ids) and len(set(first.ids)) == 7
    assert all(t.startswith("team-") for t in first.team_names)
    assert all(d.startswith("dept-") for d in first.department_names)
    assert some(first.survey).suppressed == [first.team_names[1]]
    stored = pickle.dumps(first) + repr(first).encode()
    for name in ["Nord", "Plant 1", "Direction", "Ventes & Marketing", "Opérations"]:
        assert name.encode() not in stored and name.encode("utf-32-le") not in stored
    assert not set(first.ids) & set(org.ids)
    np.testing.assert_array_equal(first.manager_of, org.manager_of)
    np.testing.assert_array_equal(first.team, org.team)
    np.testing.assert_array_equal(first.ties, org.ties)
    assert first.pseudonym_key is None
    with pytest.raises(ValueError, match="already anonymised"):
        anonymise(first)
    # another version of the chart gives other pseudonyms, so they cannot be matched across versions
    other = anonymise(read_org(write(tmp_path, "chart2.csv", CHART + "h8,e5,Opérations,Plant 1,,\n")))
    assert other.ids[1] != first.ids[1]


def test_pseudonyms_lengthen_until_distinct():
    key = b"k" * 32
    names = [str(i) for i in range(5000)]
    short = pseudonyms(names, "e", key, 1)
    assert len(set(short)) == 5000  # one hex digit cannot tell 5000 apart, so they grew
    assert pseudonyms(names, "e", key, 1) == short


# ------------------------------------------------------------------ size
def test_files_over_the_limits_are_refused_with_a_message(tmp_path):
    chart = write(tmp_path, "chart.csv", CHART)
    assert "larger than the limit of 100 bytes" in refused(chart, limits=Limits(chart_bytes=100))
    assert "has 7 employees, more than the limit of 5" in refused(chart, limits=Limits(employees=5))
    ties = write(tmp_path, "ties.csv", "source,target\nc3,d4\nd4,c3\n")
    assert "has 2 ties, more than the limit of 1" in refused(chart, ties, limits=Limits(ties=1))
    assert LIMITS.employees == 2_000_000


def test_the_circle_check_handles_a_hierarchy_a_million_deep():
    """No recursion and no walk per person: a chain of a million levels is checked (its speed is in
    benchmarks/bench_orgdata.py, not here)."""
    n = 1_000_000
    chain = np.arange(-1, n - 1, dtype=np.int32)  # everyone reports to the previous person: depth n
    assert len(cycle_members(chain)) == 0
    chain[0] = n - 1  # close the chain into one circle of everyone
    assert len(cycle_members(chain)) == n
    chain[0] = -1
    chain[500_000] = 500_003  # a circle of four in the middle; the people below it hang from it
    assert cycle_members(chain).tolist() == [500_000, 500_001, 500_002, 500_003]


def test_the_acme_example_reads_as_its_readme_says():
    """The shipped synthetic example passes every check, its HR columns are dropped, and its survey shows the five
    low-safety teams it was made with and leaves out the thirteen small ones."""
    folder = Path(__file__).parents[1] / "examples" / "acme"
    org = read_org(folder / "org.csv", ties=folder / "ties.csv", survey=folder / "survey.csv", survey_scale="1-5")
    assert org.ties is not None
    assert (org.n, len(org.team_names), len(org.ties)) == (1218, 149, 6643)
    assert org.ignored_columns["chart"] == ["name", "email"]
    assert org.survey is not None and len(org.survey.suppressed) == 13
    safety = org.survey.values["psychological_safety"]
    low = {org.team_names[i] for i in np.flatnonzero(safety < 0.35)}
    assert low == {"Inside Sales 1", "Inside Sales 2", "Inside Sales 3", "Logistics 4", "Frontline Americas 2"}
