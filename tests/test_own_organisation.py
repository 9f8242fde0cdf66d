"""A scenario that names its own organisation chart (and collaboration ties) runs on it (issue 13, first part)."""

import csv
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import sim
import sim.dynamics
from sim import KnowledgeSharingModel
from sim.cli import main
from sim.scenario import LEVELS
from sim.scenario_files import ScenarioError, load_scenario

ACME = Path(__file__).resolve().parent.parent / "examples" / "acme"
CHART, TIES = ACME / "org.csv", ACME / "ties.csv"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def groups(labels, ids) -> set[frozenset]:
    """The partition of ids that these labels make, whatever the labels are called."""
    found: dict = {}
    for label, who in zip(labels, ids):
        found.setdefault(label, set()).add(who)
    return {frozenset(members) for members in found.values()}


def test_an_imported_chart_gives_exactly_its_reporting_lines_teams_and_departments():
    model = KnowledgeSharingModel("baseline", chart=str(CHART), warmup=0, weeks=1)
    org, chart = model.org, rows(CHART)
    assert org.ids is not None
    ids = [str(i) for i in org.ids]
    assert sorted(ids) == sorted(row["id"] for row in chart) and len(set(ids)) == len(chart)
    by_id = {row["id"]: row for row in chart}
    assert [ids[m] if m >= 0 else "" for m in org.manager_of] == [by_id[i]["manager_id"] for i in ids]
    assert groups(org.team, ids) == groups((row["team"] for row in chart), (row["id"] for row in chart))
    assert groups(org.department, ids) == groups((row["department"] for row in chart), (row["id"] for row in chart))
    assert [LEVELS[v] for v in org.level] == [by_id[i]["level"] for i in ids]
    assert org.tenure.tolist() == [int(by_id[i]["tenure_weeks"]) for i in ids]
    assert (org.newcomer == (org.tenure < 52)).all()
    # Departments and teams are blocks of employee numbers, as the acquaintances and the outputs need.
    assert (np.diff(org.department) >= 0).all() and (np.diff(org.team) >= 0).all()
    assert (org.team_department[org.team] == org.department).all()
    assert model.params.organisation.employees == len(chart)
    assert model.params.organisation.departments == len({row["department"] for row in chart})
    assert {agent.employee_id for agent in model.employees} == set(by_id)


def test_a_generated_organisation_numbers_its_agents_by_row():
    model = KnowledgeSharingModel("baseline", employees=30, warmup=0, weeks=1)
    assert model.org.ids is None
    assert [agent.employee_id for agent in model.employees] == list(range(30))


def test_acme_runs_end_to_end_and_writes_no_name_or_email(tmp_path):
    out = tmp_path / "acme"
    result = invoke("run", ACME / "scenario.toml", "--weeks", 5, "--out", out)
    assert result.exit_code == 0, result.output
    assert "1,218 people in 9 departments from the chart" in result.output
    assert "not read: name, email" in result.output
    chart = rows(CHART)
    personal = [row["name"] for row in chart[:50]] + [row["email"] for row in chart[:50]] + ["@acme.example"]
    files = sorted(out.iterdir())
    assert {f.name for f in files} >= {"summary.json", "timeseries.csv", "timeseries.parquet", "sharing.png"}
    for file in files:
        content = file.read_bytes()
        assert not any(word.encode() in content for word in personal), file.name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["employees"] == 1218
    for role, path, count in (("chart", CHART, 1218), ("ties", TIES, 6643)):
        assert summary["inputs"][role] == {
            "file": path.name,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "rows": count,
        }
    assert summary["parameters"]["organisation"]["chart"] == "org.csv"
    assert str(ACME) not in json.dumps(summary["parameters"]) + json.dumps(summary["inputs"])


def test_validate_reads_the_files_and_names_each_problem(tmp_path):
    assert invoke("validate", ACME / "scenario.toml").exit_code == 0
    (tmp_path / "org.csv").write_text("id,manager_id,department,team\na,,D,T\na,a,D,T\nc,zz,D,T\n")
    scenario = tmp_path / "s.toml"
    scenario.write_text('[organisation]\nchart = "org.csv"\n')
    result = CliRunner().invoke(main, ["validate", str(scenario)])
    assert result.exit_code == 1
    assert "organisation.chart" in result.output and "rows 2, 3" in result.output and "zz" in result.output


def test_paths_are_relative_to_the_scenario_file_and_stored_absolute(tmp_path, monkeypatch):
    folder = tmp_path / "ours"
    folder.mkdir()
    shutil.copy(CHART, folder / "people.csv")
    (folder / "s.toml").write_text('[organisation]\nchart = "people.csv"\nweak_ties = 2\n')
    monkeypatch.chdir(tmp_path)
    scenario = load_scenario(folder / "s.toml")
    assert scenario.organisation.chart == str(folder / "people.csv")
    assert (scenario.organisation.employees, scenario.organisation.departments) == (1218, 9)
    # Validated again elsewhere (replications, the warm-up), the stored path still finds the file.
    monkeypatch.chdir(ACME)
    assert load_scenario(scenario).organisation.chart == str(folder / "people.csv")


def test_the_command_line_and_the_python_api_take_a_chart_relative_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(ACME)
    out = tmp_path / "set"
    result = invoke("run", "baseline", "--set", "organisation.chart=org.csv", "--weeks", 2, "--out", out)
    assert result.exit_code == 0, result.output
    assert json.loads((out / "summary.json").read_text())["employees"] == 1218
    found = sim.simulate("baseline", weeks=2, chart="org.csv", ties="ties.csv", warmup=0)
    assert found["weeks"] == 2 and 0 <= found["final_sharing_rate"] <= 1


def test_a_missing_chart_ties_without_a_chart_and_a_headcount_beside_a_chart_are_refused(tmp_path):
    with pytest.raises(ScenarioError, match=r"organisation\.chart.*nope\.csv: no such file"):
        load_scenario("baseline", chart=str(tmp_path / "nope.csv"))
    with pytest.raises(ScenarioError, match=r"organisation\.ties.*ties needs chart"):
        load_scenario("baseline", ties=str(TIES))
    with pytest.raises(ScenarioError, match=r"organisation\.employees.*comes from the chart"):
        load_scenario("baseline", chart=str(CHART), employees=300)
    (tmp_path / "few.csv").write_text("id,manager_id,department,team\na,,D,T\nb,a,D,T\n")
    with pytest.raises(ScenarioError, match=r"organisation\.chart.*has 2 people; kshare needs at least 10"):
        load_scenario("baseline", chart=str(tmp_path / "few.csv"))
    scenario = tmp_path / "s.toml"
    scenario.write_text('[organisation]\nties = "ties.csv"\n')
    result = CliRunner().invoke(main, ["validate", str(scenario)])
    assert result.exit_code == 1 and "ties needs chart" in result.output


def test_the_same_seed_gives_the_same_numbers_on_an_imported_chart():
    def run(seed):
        return sim.simulate("baseline", weeks=8, seed=seed, chart=str(CHART), ties=str(TIES))

    first, again, other = run(5), run(5), run(6)
    for name in ("sharing_rate", "satisfaction", "knowledge_mean"):
        assert np.array_equal(first[name], again[name])
    assert not np.array_equal(first["sharing_rate"], other["sharing_rate"])


def contacts_between(pairs: np.ndarray, seeds, monkeypatch, **files) -> np.ndarray:
    """How often each pair of chart ids was in contact (either way) over runs on these seeds, per run."""
    seen = np.zeros(len(pairs))
    draw = sim.dynamics.draw_contacts
    for seed in seeds:
        model = KnowledgeSharingModel("baseline", rng=seed, warmup=0, weeks=30, chart=str(CHART), **files)
        where = {str(i): n for n, i in enumerate(model.org.ids)}
        a = np.array([where[x] for x in pairs[:, 0]])
        b = np.array([where[x] for x in pairs[:, 1]])
        key = np.minimum(a, b) * model.org.n + np.maximum(a, b)
        made: list[np.ndarray] = []

        def recorded(m, s, made=made, n=model.org.n):
            r, channel = draw(m, s)
            ok = r >= 0
            made.append(np.minimum(s[ok], r[ok]) * n + np.maximum(s[ok], r[ok]))
            return r, channel

        monkeypatch.setattr(sim.dynamics, "draw_contacts", recorded)
        model.run()
        monkeypatch.setattr(sim.dynamics, "draw_contacts", draw)
        every = np.concatenate(made)
        seen += np.array([np.count_nonzero(every == k) for k in key])
    return seen / len(seeds)


def test_heavy_ties_put_people_in_contact_more_than_a_random_colleague_elsewhere(monkeypatch):
    chart = {row["id"]: row["team"] for row in rows(CHART)}
    manager = {row["id"]: row["manager_id"] for row in rows(CHART)}
    ties = [(row["source"], row["target"], float(row["weight"])) for row in rows(TIES)]
    # Outside the team and off the reporting line, which keep people in touch whatever the ties say.
    across = [t for t in ties if chart[t[0]] != chart[t[1]] and t[1] != manager[t[0]] and t[0] != manager[t[1]]]
    heavy = sorted(across, key=lambda t: -t[2])[:40]
    tied = {frozenset(t[:2]) for t in ties}
    rng = np.random.default_rng(0)
    people = list(chart)
    strangers = []
    for a, _, _ in heavy:  # the same people, each with a random colleague outside their team they have no tie with
        while True:
            c = people[rng.integers(len(people))]
            if chart[c] != chart[a] and frozenset((a, c)) not in tied:
                strangers.append((a, c))
                break
    pairs = np.array([t[:2] for t in heavy] + strangers)
    seeds = range(3)
    with_ties = contacts_between(pairs, seeds, monkeypatch, ties=str(TIES))
    without = contacts_between(pairs, seeds, monkeypatch)
    heavy_rate, stranger_rate = with_ties[: len(heavy)].mean(), with_ties[len(heavy) :].mean()
    assert heavy_rate > 5 * max(stranger_rate, 0.05)
    assert heavy_rate > 5 * max(without[: len(heavy)].mean(), 0.05)


def test_the_chart_names_each_department_and_team_the_model_has():
    model = KnowledgeSharingModel("baseline", chart=str(CHART), warmup=0, weeks=1)
    org, chart = model.org, rows(CHART)
    by_id = {row["id"]: row for row in chart}
    assert org.department_names is not None and org.team_names is not None
    for person, key in enumerate(org.ids):
        assert org.department_names[org.department[person]] == by_id[str(key)]["department"]
        assert org.team_names[org.team[person]] == by_id[str(key)]["team"]
