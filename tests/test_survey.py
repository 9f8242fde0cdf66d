"""A team survey starts each surveyed team from its own culture (issue 13; sim/team_culture.py, ODD §7.3a)."""

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import sim
import sim.own_org
import sim.warmup
from sim import KnowledgeSharingModel
from sim.cli import main
from sim.scenario_files import ScenarioError, load_scenario

ACME = Path(__file__).resolve().parent.parent / "examples" / "acme"
CHART, TIES, SURVEY = ACME / "org.csv", ACME / "ties.csv", ACME / "survey.csv"


def team_sizes() -> Counter:
    with CHART.open(newline="", encoding="utf-8") as handle:
        return Counter(row["team"] for row in csv.DictReader(handle))


@pytest.fixture(scope="module")
def split_survey(tmp_path_factory) -> tuple[Path, set[str]]:
    """Every other team by size answers 2 of 5 on safety, the rest 4.5: low and high teams of matched sizes."""
    sizes = team_sizes()
    teams = sorted(sizes, key=lambda team: (sizes[team], team))
    low = set(teams[0::2])
    path = tmp_path_factory.mktemp("survey") / "split.csv"
    path.write_text("team,psychological_safety\n" + "".join(f"{t},{2.0 if t in low else 4.5}\n" for t in teams))
    return path, low


def members_of(model, teams: set[str]) -> np.ndarray:
    names = model.org.team_names
    return np.array([names[t] in teams for t in model.org.team])


def test_low_safety_teams_share_less_than_high_safety_teams_of_the_same_size(split_survey):
    """The survey's safety reaches behaviour: over six seeds, people in the teams the survey shows as unsafe
    share less often than those in safe teams of the same sizes, in every seed.

    Six seeds all in one direction has a chance of 1 in 64 if the survey did nothing; the margin asked (five
    points of weekly sharing) is a fifth of the difference seen in development (about 25 points), so the test
    fails if the effect shrinks to a trace, not if it moves within reason."""
    path, low = split_survey
    gaps = []
    for seed in range(6):
        model = KnowledgeSharingModel("baseline", rng=seed, chart=str(CHART), survey=str(path), weeks=52)
        in_low = members_of(model, low)
        assert abs(in_low.mean() - 0.5) < 0.1  # the split is by team, and teams alternate by size
        shares = np.zeros(model.org.n)
        for _ in range(52):
            model.step()
            shares += model.state.shared
        gaps.append(shares[~in_low].mean() / 52 - shares[in_low].mean() / 52)
    assert min(gaps) > 0, gaps
    assert np.mean(gaps) > 0.05, gaps


@pytest.mark.parametrize("reading", ["relative", "absolute"])
def test_each_surveyed_team_starts_at_its_surveys_climate_after_the_warm_up(split_survey, reading, monkeypatch):
    """Settling (the chart's own, and a generated stand-in's for a larger chart) moves climates; week 0 is
    when the survey was taken, so each surveyed team starts at its value, however it settled."""
    path, low = split_survey
    # relative: the culture's 0.6 plus the team's distance from the survey's mean over teams
    teams = len(team_sizes())
    mean = (len(low) * 0.25 + (teams - len(low)) * 0.875) / teams
    expected = {"relative": (0.6 + 0.25 - mean, 0.6 + 0.875 - mean), "absolute": (0.25, 0.875)}[reading]
    for settles_itself in (True, False):
        if not settles_itself:
            monkeypatch.setattr(sim.warmup, "CHART_SETTLES_ITSELF", 100)  # acme's 1,218 take a stand-in's state
        model = KnowledgeSharingModel("baseline", rng=3, chart=str(CHART), survey=str(path), survey_reading=reading)
        names = model.org.team_names
        climate = {names[t]: float(value) for t, value in enumerate(model.state.climate)}
        assert all(climate[t] == pytest.approx(expected[0], abs=1e-6) for t in low)
        assert all(climate[t] == pytest.approx(expected[1], abs=1e-6) for t in set(names) - low)
        in_low = members_of(model, low)
        # Beliefs follow: those in unsafe teams feel less safe and expect more friction (critique).
        assert model.state.safety[in_low].mean() < model.state.safety[~in_low].mean() - 0.3
        assert model.state.ease[in_low].mean() < model.state.ease[~in_low].mean()


def test_teams_without_usable_results_keep_the_culture_values():
    """Acme's survey leaves out 13 teams with fewer than five respondents: their members' recognition, feedback
    and ease are the scenario's, and every surveyed team's are its own, read relative to the culture."""
    model = KnowledgeSharingModel("baseline", rng=1, chart=str(CHART), survey=str(SURVEY), warmup=0, weeks=1)
    data = sim.own_org.read(model.params)
    assert data.survey is not None and len(data.survey.suppressed) == 13
    suppressed = members_of(model, set(data.survey.suppressed))
    culture = model.params.culture
    levers = model.levers
    assert np.allclose(levers["recognition"][suppressed], culture.recognition)
    assert np.allclose(levers["friction"][suppressed], 1 - culture.ease)
    assert np.allclose(levers.readiness[suppressed], culture.reciprocation)
    recognition = data.survey.values["recognition"]
    given = ~np.isnan(recognition)
    by_team = dict(zip(data.team_names, recognition - recognition[given].mean() + culture.recognition))
    names = model.org.team_names
    expected = np.array([np.clip(by_team[names[t]], 0, 1) for t in model.org.team])
    assert np.allclose(levers["recognition"][~suppressed], expected[~suppressed], atol=1e-6)
    assert levers["recognition"][~suppressed].std() > 0.03  # teams differ, as their answers do


def test_a_survey_is_named_by_its_bare_key_and_refused_without_a_chart(tmp_path):
    result = sim.simulate("baseline", chart=str(CHART), survey=str(SURVEY), weeks=2, warmup=0)
    without = sim.simulate("baseline", chart=str(CHART), weeks=2, warmup=0)
    assert len(result["sharing_rate"]) == 3
    assert not np.array_equal(result["perceived_safety"], without["perceived_safety"])
    with pytest.raises(ScenarioError, match=r"culture\.survey needs organisation\.chart"):
        load_scenario("baseline", survey=str(SURVEY))
    bad = tmp_path / "survey.csv"
    bad.write_text("team,psychological_safety\nInside Sales 1,9\nNo Such Team,3\n")
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'[organisation]\nchart = "{CHART}"\n[culture]\nsurvey = "survey.csv"\n')
    out = CliRunner().invoke(main, ["validate", str(scenario)])
    assert out.exit_code != 0
    assert "culture.survey" in out.output and "row 2" in out.output and "outside the declared scale 1-5" in out.output
    assert "row 3" in out.output and "No Such Team" in out.output


def test_kshare_run_says_how_the_survey_was_used(tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'weeks = 2\nwarmup = 0\n[organisation]\nchart = "{CHART}"\n[culture]\nsurvey = "{SURVEY}"\n')
    out = CliRunner().invoke(main, ["run", str(scenario), "--out", str(tmp_path / "out")])
    assert out.exit_code == 0, out.output
    assert "13 team(s) with fewer than 5 respondents not used" in out.output
    assert "psychological safety set for 136 of 149 teams" in out.output


def test_kshare_run_on_a_chart_writes_each_teams_row_and_the_unsafe_teams_share_least(tmp_path):
    """Acme's five teams the survey shows as unsafe (below 0.45 on 0-1 before the relative reading) are among
    the teams that share least; the table names every chart team once, and a generated run writes none."""
    out = CliRunner().invoke(main, ["run", str(ACME / "scenario.toml"), "--weeks", "52", "--out", str(tmp_path / "a")])
    assert out.exit_code == 0, out.output
    teams = pd.read_csv(tmp_path / "a" / "teams.csv")
    assert sorted(teams["team"]) == sorted(team_sizes()) and teams["people"].sum() == sum(team_sizes().values())
    data = sim.own_org.read(load_scenario(ACME / "scenario.toml"))
    assert data.survey is not None
    safety = data.survey.values["psychological_safety"]
    unsafe = {data.team_names[t] for t in np.flatnonzero(safety < 0.45)}
    assert len(unsafe) == 5
    is_unsafe = teams["team"].isin(unsafe)
    assert teams.loc[is_unsafe, "sharing_rate"].max() < teams.loc[~is_unsafe, "sharing_rate"].median()
    assert teams.loc[is_unsafe, "survey_safety"].max() < teams.loc[~is_unsafe, "survey_safety"].min()
    out = CliRunner().invoke(main, ["run", "baseline", "--weeks", "2", "--out", str(tmp_path / "g")])
    assert out.exit_code == 0 and not (tmp_path / "g" / "teams.csv").exists()
