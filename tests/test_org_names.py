"""An organisation's own names in the outputs, targets by department name, and anonymised outputs (issue 13)."""

import csv
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from PIL import Image

from sim import KnowledgeSharingModel
from sim.cli import main
from sim.dashboard import alt, charts
from sim.dashboard.session import History
from sim.levers import target_mask
from sim.orgdata import anonymise, read_org
from sim.own_org import hide_names
from sim.runner.worker import provenance_of
from sim.scenario_files import ScenarioError, load_scenario

ACME = Path(__file__).resolve().parent.parent / "examples" / "acme"
CHART, PROGRAMME = ACME / "org.csv", ACME / "safety_programme.toml"
QUICK = {"warmup": 0, "weeks": 2}
#: A short run from the command line, with the programme inside it (a chart of windows past the end warns).
SHORT = ("--weeks", 3, "--set", "interventions.0.start=1", "--no-reference")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def departments_in_chart() -> list[str]:
    return list(dict.fromkeys(row["department"] for row in rows(CHART)))


def written_text(folder: Path) -> dict[str, str]:
    """Everything a reader of each file written could see, as text: text files whole; Parquet files' metadata,
    column names and every string value; PNG files' text chunks."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            meta = table.schema.metadata or {}
            parts = [k.decode() + v.decode() for k, v in meta.items()] + list(table.column_names)
            for column in table.columns:
                parts += [str(value) for value in column.to_pylist() if isinstance(value, str)]
            found[path.name] = "\n".join(parts)
        elif path.suffix == ".png":
            with Image.open(path) as image:
                found[path.name] = json.dumps(getattr(image, "text", {}))
        else:
            found[path.name] = path.read_text(encoding="utf-8")
    return found


def test_by_department_columns_carry_the_charts_department_names():
    model = KnowledgeSharingModel(ACME / "scenario.toml", **QUICK)
    model.run()
    frame = model.timeseries()
    names = departments_in_chart()
    assert [c for c in frame.columns if c.startswith("satisfaction[dept ")] == [
        f"satisfaction[dept {n}]" for n in names
    ]
    assert not any(column.endswith("[dept 0]") for column in frame.columns)
    # Each column is the mean over the chart's people in that department.
    by_id = {row["id"]: row["department"] for row in rows(CHART)}
    department = np.array([by_id[str(i)] for i in model.org.ids])
    for name in names:
        mean = model.state.satisfaction[department == name].mean()
        assert frame[f"satisfaction[dept {name}]"].iloc[-1] == pytest.approx(mean, rel=1e-6)
    # A generated organisation keeps its numbered columns, as the golden record has them.
    generated = KnowledgeSharingModel("baseline", employees=60, **QUICK).timeseries()
    assert [c for c in generated.columns if c.startswith("satisfaction[dept ")] == [
        f"satisfaction[dept {d}]" for d in range(5)
    ]


def test_the_dashboard_names_departments_and_people_as_the_outputs_do():
    model = KnowledgeSharingModel(ACME / "scenario.toml", **QUICK)
    frame = model.timeseries()
    groups = charts.group_names("department", model.params.organisation.departments, model.org)
    assert [label for _, label in groups] == [f"department {n}" for n in departments_in_chart()]
    assert all(f"satisfaction[{suffix}]" in frame.columns for suffix, _ in groups)
    said = alt.experiences(History(model), "satisfaction", "department", len(groups), model.org)
    assert "department Sales 0." in said and "department 3" not in said
    person = int(np.flatnonzero(model.org.department == departments_in_chart().index("Sales"))[0])
    assert model.employees[person].employee_id == str(model.org.ids[person])
    assert model.org.team_label(model.org.team[person]) in {row["team"] for row in rows(CHART)}


def test_a_department_name_target_reaches_exactly_that_departments_people():
    model = KnowledgeSharingModel(PROGRAMME, **QUICK, **{"interventions.0.start": 0})
    assert model.params.interventions[0].target == "department:Sales"
    by_id = {row["id"]: row["department"] for row in rows(CHART)}
    in_sales = np.array([by_id[str(i)] == "Sales" for i in model.org.ids])
    assert in_sales.sum() == 177
    mask = target_mask("department:Sales", model.org)
    assert (mask == in_sales).all()
    number = departments_in_chart().index("Sales")
    assert (target_mask(f"department:{number}", model.org) == mask).all()  # a number keeps working
    # The programme's push on the team climate reaches Sales's people and nobody else.
    assert (model.levers["safety"] > 0).tolist() == in_sales.tolist()


def test_a_programme_for_sales_moves_sales_and_not_the_other_departments():
    names = departments_in_chart()
    differences = []
    for seed in (1, 2, 3):  # paired: the same seed with and without the programme
        final = []
        arms: tuple[dict[str, Any], ...] = ({"interventions.0.start": 0}, {"interventions": []})
        for overrides in arms:
            model = KnowledgeSharingModel(PROGRAMME, rng=seed, warmup=0, weeks=12, **overrides)
            model.run()
            frame = model.timeseries()
            final.append(np.array([frame[f"perceived_safety[dept {n}]"].iloc[-1] for n in names]))
        differences.append(final[0] - final[1])
    effect = dict(zip(names, np.mean(differences, axis=0)))
    assert effect["Sales"] > 0.05
    assert all(abs(value) < effect["Sales"] / 2 for name, value in effect.items() if name != "Sales"), effect


def test_an_unknown_department_name_is_refused_with_the_nearest_name_and_the_key(tmp_path):
    with pytest.raises(ScenarioError) as refused:
        load_scenario(PROGRAMME, **{"interventions.0.target": "department:Sals"})
    message = str(refused.value)
    assert "interventions.0.target" in message and "org.csv has no department 'Sals'" in message
    assert "did you mean 'Sales'?" in message and all(f"'{n}'" in message for n in departments_in_chart())
    for name in ("org.csv", "ties.csv", "survey.csv"):
        shutil.copy(ACME / name, tmp_path / name)
    scenario = tmp_path / "typo.toml"
    scenario.write_text(PROGRAMME.read_text().replace("department:Sales", "department:Slaes"))
    result = CliRunner().invoke(main, ["validate", str(scenario)])
    assert result.exit_code == 1
    assert str(scenario) in result.output and "interventions.0.target" in result.output
    assert "did you mean 'Sales'?" in result.output
    # A name needs a chart: a generated organisation's departments have numbers only.
    with pytest.raises(ScenarioError, match="department 'Sales' is a name"):
        load_scenario("baseline", **{"interventions.0.type": "mentoring", "interventions.0.target": "department:Sales"})


def test_anonymised_outputs_hold_no_id_or_name_from_the_chart(tmp_path, monkeypatch):
    out = tmp_path / "anonymised"
    # A name on the command line too, which summary.json records.
    args = ["run", PROGRAMME, *SHORT, "--set", "interventions.0.target=department:Sales", "--anonymise", "--out", out]
    monkeypatch.setattr(sys, "argv", ["kshare", *map(str, args)])
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    chart = rows(CHART)
    secret = {row[key] for row in chart for key in ("id", "name", "email", "department", "team")}
    written = written_text(out)
    assert set(written) >= {"summary.json", "timeseries.csv", "timeseries.parquet", "sharing.png"}
    for name, text in [*written.items(), ("printed", result.output)]:
        leaked = sorted(word for word in secret if word in text)
        assert not leaked, (name, leaked[:5])
    # What is shown instead: the pseudonyms of the chart's departments, the same in every output.
    shown = anonymise(read_org(CHART)).department_names
    sales = shown[departments_in_chart().index("Sales")]
    assert f"satisfaction[dept {sales}]" in written["timeseries.csv"].splitlines()[0]
    summary = json.loads(written["summary.json"])
    assert summary["parameters"]["interventions"][0]["target"] == f"department:{sales}"
    assert summary["parameters"]["interventions"][0]["label"] == f"psychological-safety work in {sales}"
    assert summary["parameters"]["organisation"]["anonymise"] is True
    assert f"interventions.0.target=department:{sales}" in summary["command"]
    meta = json.loads(pq.read_schema(out / "timeseries.parquet").metadata[b"kshare"])
    assert meta["parameters"] == summary["parameters"]


def test_names_are_hidden_as_whole_words_only():
    renamed = {"Sales": "dept-1", "Inside Sales 1": "team-1", "2": "team-2"}
    assert hide_names("Sales's Inside Sales 1 team, not acme_sales or Salesforce", renamed) == (
        "dept-1's team-1 team, not acme_sales or Salesforce"
    )
    assert hide_names("week 2 of 12", renamed) == "week 2 of 12"  # a name without a letter is a number in text


def test_outputs_without_anonymise_name_departments_but_hold_no_name_or_email(tmp_path):
    out = tmp_path / "named"
    result = invoke("run", PROGRAMME, *SHORT, "--out", out)
    assert result.exit_code == 0, result.output
    personal = {row[key] for row in rows(CHART) for key in ("name", "email")}
    written = written_text(out)
    for name, text in [*written.items(), ("printed", result.output)]:
        assert not [word for word in personal if word in text], name
    assert "satisfaction[dept Sales]" in written["timeseries.csv"].splitlines()[0]
    summary = json.loads(written["summary.json"])
    assert summary["parameters"]["interventions"][0]["target"] == "department:Sales"


def test_an_anonymised_sweep_records_pseudonyms_only(tmp_path):
    names = departments_in_chart()
    shown = anonymise(read_org(CHART)).department_names
    sales = shown[names.index("Sales")]
    experiment = tmp_path / "names.toml"
    experiment.write_text(
        f'name = "names"\nseed = 3\nreplications = 1\nweeks = 2\nscenarios = ["{PROGRAMME}"]\n'
        f"[set]\nwarmup = 0\n[vary]\nease = [0.5]\n"
        f'[outputs]\ncolumns = ["satisfaction[dept {sales}]"]\n'
    )
    # The by-department column named as the anonymised runs name it; the real name is then no column of theirs.
    named = experiment.read_text().replace(sales, "Sales")
    (tmp_path / "named.toml").write_text(named.replace('name = "names"', 'name = "named"'))
    refused = CliRunner().invoke(main, ["sweep", str(tmp_path / "named.toml"), "--check", "--anonymise"])
    assert refused.exit_code != 0 and "satisfaction[dept Sales]" in refused.output
    result = invoke("sweep", experiment, "--out", tmp_path / "out", "--workers", 1, "--anonymise")
    assert result.exit_code == 0, result.output
    secret = {row[key] for row in rows(CHART) for key in ("id", "name", "email", "department", "team")}
    for name, text in written_text(tmp_path / "out").items():
        assert not sorted(word for word in secret if word in text), name
    run = next((tmp_path / "out" / "runs").glob("*.parquet"))
    assert provenance_of(run)["parameters"]["interventions"][0]["target"] == f"department:{sales}"
    assert f"satisfaction[dept {sales}]" in pq.read_schema(run).names
