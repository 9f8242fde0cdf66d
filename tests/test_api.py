"""The Python API: the Mesa model, agents as views on the arrays, simulate(), mesa.batch_run."""

import mesa
import numpy as np

from sim import KnowledgeSharingModel, simulate
from sim.agents import Employee, Manager, Newcomer


def test_model_is_a_mesa_model_with_one_agent_per_employee():
    model = KnowledgeSharingModel("baseline", rng=1, employees=200)
    assert isinstance(model, mesa.Model)
    assert len(model.agents) == 200
    assert set(model.agent_types) == {Employee, Manager, Newcomer}
    managers = model.agents_by_type[Manager]
    assert all(agent.level in ("manager", "leader") for agent in managers)
    assert all(agent.tenure_weeks < 52 for agent in model.agents_by_type[Newcomer])


def test_agents_read_and_write_through_to_the_state_arrays():
    model = KnowledgeSharingModel("baseline", rng=1, employees=100)
    agent = model.employees[17]
    assert agent.satisfaction == float(model.state.satisfaction[17])
    agent.satisfaction = 0.99
    assert model.state.satisfaction[17] == np.float32(0.99)
    assert agent.status in ("active", "lapsed", "never")
    drivers = agent.drivers()
    assert {"satisfaction", "psychological_safety", "colleagues_example", "chance_to_share"} <= set(drivers)
    assert 0 <= drivers["chance_to_share"] <= 1


def test_agentset_operations_work():
    model = KnowledgeSharingModel("baseline", rng=1, employees=100)
    model.step()
    sharers = model.agents.select(lambda a: a.shared_this_week)
    assert len(sharers) == int(model.state.shared.sum())


def test_running_stops_at_the_scenario_horizon():
    model = KnowledgeSharingModel("baseline", rng=1, employees=60, weeks=5)
    while model.running:
        model.step()
    assert model.week == 5 and model.steps == 5
    assert len(model.timeseries()) == 6


def test_simulate_returns_scalars_and_series():
    out = simulate("baseline", weeks=12, seed=3, employees=80)
    assert isinstance(out["final_sharing_rate"], float)
    assert isinstance(out["mean_sharing_rate"], float)
    assert out["sharing_rate"].shape == (13,)
    assert out["seed"] == 3 and out["weeks"] == 12


def test_works_with_mesa_batch_run():
    results = mesa.batch_run(
        KnowledgeSharingModel,
        parameters={"scenario": "baseline", "employees": 60, "recognition": [0.2, 0.8]},
        rng=[1, 2],
        max_steps=6,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    assert len(results) == 4
    assert all(0 <= row["sharing_rate"] <= 1 for row in results)
    assert {row["recognition"] for row in results} == {0.2, 0.8}


def test_bulk_created_agents_match_the_one_by_one_path(monkeypatch):
    from sim.agents import population

    fast = KnowledgeSharingModel("baseline", rng=4, employees=300)
    monkeypatch.setattr(population, "_bulk_possible", lambda model, types: False)
    slow = KnowledgeSharingModel("baseline", rng=4, employees=300)
    assert [(a.unique_id, type(a), a.index) for a in fast.agents] == [
        (a.unique_id, type(a), a.index) for a in slow.agents
    ]
    for cls in (Employee, Manager, Newcomer):
        assert [a.unique_id for a in fast.agents_by_type[cls]] == [a.unique_id for a in slow.agents_by_type[cls]]
    assert fast.agent_id_counter == slow.agent_id_counter
    extra = Employee(fast, 0)  # later agents still register normally, with the next id
    assert extra.unique_id == 301 and extra in fast.agents


def test_renders_in_mesa_solaraviz():
    """Mesa's own visualisation takes the model unchanged (rendered server-side, no browser)."""
    import solara
    from mesa.visualization import SolaraViz, make_plot_component

    model = KnowledgeSharingModel("combined_programme", rng=1, employees=150)
    page = SolaraViz(
        model,
        components=[make_plot_component("sharing_rate", backend="matplotlib")],
        model_params={"scenario": "combined_programme", "employees": 150},
        name="kshare",
    )
    box, _ = solara.render(page, handle_error=False)
    assert box is not None
    for _ in range(3):
        model.step()
    assert model.week == 3
