"""Seeking (sim/seeking.py, ODD §7.19): needs, requests and answers, tested over paired seeds.

Each statistical test runs the same seeds with and without one change (common random numbers), so the
difference is the change's and not the seeds'; each asks for the direction in every seed or in the mean with a
margin, as its docstring says.
"""

import numpy as np
import pytest

from sim import KnowledgeSharingModel
from sim.scenario_files import ScenarioError, load_scenario

SEEDS = range(6)


def run(seed: int, weeks: int = 40, **overrides):
    model = KnowledgeSharingModel("baseline", rng=seed, seeking=True, weeks=weeks, **overrides)
    model.run()
    return model, model.timeseries()


def test_without_seeking_the_weekly_table_has_no_seeking_columns_and_the_model_asks_nobody():
    model = KnowledgeSharingModel("baseline", rng=1, weeks=3, seeking=False)
    model.run()
    assert model.rule.seeking is None and "asking_rate" not in model.timeseries().columns


def test_seeking_is_on_by_default_and_off_under_barter_unless_asked_for():
    """The joint fit took seeking in (docs/calibration.md): every preset seeks, except the barter rule's, which
    has no rule to answer by; a barter scenario that asks for seeking is refused (above)."""
    assert load_scenario("baseline").behaviour.seeking
    assert not load_scenario("cowan_jonard").behaviour.seeking


def test_counts_add_up_and_every_answer_follows_a_request():
    """Week by week: answered askers asked, askers had a need, no one answers more requests than were
    answered, waits are whole weeks from 1 to the patience, and the split of sharing is a share."""
    model = KnowledgeSharingModel("baseline", rng=3, seeking=True, weeks=30)
    for _ in range(30):
        model.step()
        week = model.rule.seeking.last
        assert not (week.answered & ~week.asked).any()
        assert not (week.asked & ~week.needing).any()
        assert week.answerer.sum() <= week.answered.sum() == len(week.waited)
        assert ((week.waited >= 1) & (week.waited <= 4)).all()
        # Answerers share this week: every one of them is counted among the sharers.
        assert not (week.answerer & ~model.state.shared).any()
        assert (model.state.shared == (model.rule.unsolicited | week.answerer)).all()
    frame = model.timeseries().iloc[1:]
    assert frame["asking_rate"].between(0, 1).all() and frame["answer_rate"].dropna().between(0, 1).all()
    assert frame["answers_share"].dropna().between(0, 1).all() and frame["asking_rate"].mean() > 0.01
    assert {"asking_rate[manager]", "answer_rate[staff]", "unanswered_share[dept 0]"} <= set(frame.columns)


def test_more_safety_means_more_asking():
    """Safety lowers the image cost of showing a gap (Edmondson 1999; Lee 1997): at 0.8 against 0.4, people
    ask more in every one of six paired seeds."""
    for seed in SEEDS:
        _, low = run(seed, psychological_safety=0.4)
        _, high = run(seed, psychological_safety=0.8)
        assert high["asking_rate"].iloc[1:].mean() > low["asking_rate"].iloc[1:].mean()


def drop(calm, blamed, column: str, weeks: slice = slice(14, 16)) -> float:
    """The part of its level an output lost in these weeks, against the same seed without the incident."""
    return 1 - blamed[column].iloc[weeks].mean() / calm[column].iloc[weeks].mean()


def test_a_blame_incident_lowers_asking_before_it_lowers_sharing():
    """Asking answers to this week's safety and critique; sharing to an intention that moves a quarter of the
    way a week. In the two weeks after an incident at week 13, asking has lost a larger part of its level
    (against the same seeds without it) than sharing has, in the mean over six seeds and in at least five."""
    incident = {"type": "blame_incident", "start": 13, "end": 26, "intensity": 0.8}
    faster = []
    for seed in SEEDS:
        _, calm = run(seed, weeks=16)
        _, blamed = run(seed, weeks=16, interventions=[incident])
        faster.append(drop(calm, blamed, "asking_rate") - drop(calm, blamed, "sharing_rate"))
    assert np.mean(faster) > 0.05 and sum(f > 0 for f in faster) >= 5, faster


def test_leaders_asking_in_public_raises_asking_in_their_teams():
    """Managers and leaders who ask in public (leaders_asking, target managers) make asking cheaper for their
    teams: asking rises in every one of six paired seeds."""
    programme = {"type": "leaders_asking", "start": 1, "intensity": 1.0, "target": "managers"}
    for seed in SEEDS:
        _, before = run(seed)
        _, after = run(seed, interventions=[programme])
        assert after["asking_rate"].iloc[2:].mean() > before["asking_rate"].iloc[2:].mean()


def test_an_unanswered_request_lowers_the_askers_belief_in_reciprocation_and_readiness_to_ask():
    """Within the week's seeking step: those whose request went unanswered believe less that colleagues
    respond, and are less ready to ask; those answered, more."""
    model = KnowledgeSharingModel("baseline", rng=4, seeking=True, weeks=20)
    model.run(5)
    st = model.state
    seeking = model.rule.seeking
    chance = model.rule._chance()
    before_q, before_r = st.reciprocation.copy(), st.ask_readiness.copy()
    week = seeking.week(chance)
    unanswered = week.asked & ~week.answered
    assert unanswered.any() and week.answered.any()
    assert (st.reciprocation[unanswered] < before_q[unanswered]).all()
    assert (st.ask_readiness[unanswered] < before_r[unanswered]).all()
    assert (st.reciprocation[week.answered] > before_q[week.answered]).all()
    assert (st.ask_readiness[week.answered] > before_r[week.answered]).all()


def test_making_expertise_visible_raises_the_answer_rate():
    """Knowing who knows what sends requests to people who can answer them (Borgatti & Cross 2003). With
    everyone aware, the answer rate of the first ten weeks is higher than with no one aware, by more than five
    points in the mean of six paired seeds and in at least five of them; and communities of practice, which
    make expertise visible, raise awareness in every paired seed and the answer rate in the mean and in at
    least five of six. (At 500 people a week brings a few dozen requests, so one seed's answer rate wanders
    by a couple of points: the test asks for the direction in most seeds, not all.)"""
    aware_gaps, community_gaps = [], []
    for seed in SEEDS:
        rates = {}
        for aware in (0.0, 1.0):
            model = KnowledgeSharingModel("baseline", rng=seed, seeking=True, weeks=10)
            model.state.awareness[:] = aware
            model.run()
            rates[aware] = model.timeseries()["answer_rate"].iloc[1:11].mean()
        aware_gaps.append(rates[1.0] - rates[0.0])
        communities = {"type": "communities_of_practice", "start": 1, "intensity": 0.8}
        plain, base = run(seed)
        shown, with_communities = run(seed, interventions=[communities])
        assert shown.state.awareness.mean() > plain.state.awareness.mean()
        community_gaps.append(with_communities["answer_rate"].iloc[10:].mean() - base["answer_rate"].iloc[10:].mean())
    assert np.mean(aware_gaps) > 0.05 and sum(g > 0 for g in aware_gaps) >= 5, aware_gaps
    assert np.mean(community_gaps) > 0 and sum(g > 0 for g in community_gaps) >= 5, community_gaps


def test_seeking_parameters_are_validated_with_the_key_and_the_nearest_name():
    with pytest.raises(ScenarioError, match="need_rate"):
        load_scenario("baseline", need_rate=1.5)
    with pytest.raises(ScenarioError, match="w_ask_safety"):
        load_scenario("baseline", **{"behaviour.w_ask_safty": 1.0})
    with pytest.raises(ScenarioError, match=r"seeking needs behaviour\.decision = 'experience'"):
        load_scenario("cowan_jonard", seeking=True)


def test_asking_starts_settled_and_week_0_has_no_seeking_figures():
    """The warm-up carries open needs over, so asking in the first month is where it is later (within a
    quarter, in the mean of six seeds); without that, asking rose for ten weeks from zero, which a trainer
    would read as a programme's effect. Week 0 is before any week was lived: NaN, not 0."""
    early, late = [], []
    for seed in SEEDS:
        _, frame = run(seed, weeks=40)
        assert np.isnan(frame["asking_rate"].iloc[0]) and np.isnan(frame["asking_rate[staff]"].iloc[0])
        early.append(frame["asking_rate"].iloc[1:5].mean())
        late.append(frame["asking_rate"].iloc[25:41].mean())
    assert abs(np.mean(early) / np.mean(late) - 1) < 0.25, (early, late)


def test_summaries_and_sweeps_carry_seeking_only_where_it_runs(tmp_path):
    """``simulate`` and ``kshare run``'s summary report seeking's outputs for a run with seeking; an experiment
    may ask for them as columns only when every scenario seeks, and is refused with the reason otherwise."""
    import json

    from click.testing import CliRunner

    import sim
    from sim.cli import main
    from sim.runner import ExperimentError, load_experiment

    found = sim.simulate("baseline", seeking=True, weeks=3, warmup=0)
    assert len(found["asking_rate"]) == 4 and "final_answer_rate" in found
    assert "asking_rate" not in sim.simulate("baseline", seeking=False, weeks=3, warmup=0)
    out = CliRunner().invoke(main, ["run", "leaders_asking", "--weeks", "12", "--out", str(tmp_path / "run")])
    assert out.exit_code == 0 and "of requests answered" in out.output
    assert "asking_rate" in json.loads((tmp_path / "run" / "summary.json").read_text())["final"]
    text = 'name = "x"\nreplications = 1\nweeks = 3\nscenarios = ["{}"]\n[outputs]\ncolumns = ["asking_rate[staff]"]\n'
    seeking = tmp_path / "seeking.toml"
    seeking.write_text(text.format("leaders_asking"))
    assert load_experiment(seeking)
    plain = tmp_path / "plain.toml"
    plain.write_text(text.format("baseline").replace("[outputs]", "[set]\nseeking = false\n[outputs]"))
    with pytest.raises(ExperimentError, match=r"needs behaviour\.seeking = true in every scenario"):
        load_experiment(plain)


def test_the_outputs_by_group_are_the_groups_own_counts_and_medians():
    """Every seeking output by level is what the week's askers of that level did: a share of the level's people,
    ratios of its counts, and the median of its answered askers' waits (NaN where none was answered)."""
    from sim.scenario import LEVELS

    model = KnowledgeSharingModel("baseline", rng=6, employees=400, weeks=25)
    checked = 0
    for _ in range(25):
        model.step()
        week, level = model.rule.seeking.last, model.org.level
        row = model.datacollector.tables["groups"]
        answered = np.flatnonzero(week.answered)
        for number, name in enumerate(LEVELS):
            mine = level == number
            waits = week.waited[level[answered] == number]
            expected = float(np.median(waits)) if len(waits) else np.nan
            assert row[f"median_weeks_to_answer[{name}]"][-1] == pytest.approx(expected, nan_ok=True)
            assert row[f"asking_rate[{name}]"][-1] == pytest.approx(week.asked[mine].sum() / mine.sum())
            checked += len(waits)
    assert checked > 20  # enough answered requests that the medians were tested
