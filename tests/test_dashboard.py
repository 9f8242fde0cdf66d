"""The dashboard without a browser: Solara components rendered server-side, and the logic behind them.

``solara.render`` builds the page's widgets in this process, so a test can
click a button and read what the page would show; the browser tests
(``test_dashboard_browser.py``) check the same things through Chromium.
"""

import io
import subprocess
import sys
import time

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara
from click.testing import CliRunner

from sim.cli import main
from sim.dashboard import charts, choices, export, network, offline
from sim.dashboard.app import Page, Player
from sim.dashboard.explain import why
from sim.dashboard.session import Run, baseline_of
from sim.dashboard.state import Dashboard
from sim.dashboard.views import DemoView, EmployeePanel, LiveView
from sim.interventions import FAMILIES
from sim.scenario_files import load_scenario, preset_names, preset_seed

JPEG = b"\xff\xd8\xff"  # live frames are JPEG; downloads are PNG
BAD_FILE = """name = "our_org"
weeks = 52

[culture]
recognitoin = 0.2
psychological_safety = 1.4

[[interventions]]
type = "recognition_programm"
start = 10
"""


def button(rc, label: str):
    """The one button whose text is ``label``."""
    found = [w for w in rc.find(v.Btn).widgets if label in [c for c in w.children if isinstance(c, str)]]
    assert len(found) == 1, f"{len(found)} buttons labelled {label!r}"
    return found[0]


def chart(rc, name: str):
    """The ``ChartImage`` widget of a chart, by name."""
    return rc.find(v.VuetifyTemplate, name=name).widget


def small(preset: str = "recognition_programme", **overrides) -> Dashboard:
    dash = Dashboard(preset)
    if overrides:
        assert dash.apply(**overrides)
    return dash


# ----------------------------------------------------------------- privacy
def test_importing_the_app_turns_telemetry_off_and_serves_assets_locally():
    import solara.checks
    import solara.server.settings
    import solara.settings

    assert offline.telemetry_enabled() is False
    assert solara.settings.assets.proxy is True  # front-end from the installed solara-assets, not a CDN
    assert solara.server.settings.theme.show_banner is False
    assert solara.checks.should_perform_solara_check() is False  # no iframe from solara.dev


def test_kshare_help_does_not_import_solara():
    code = "import sys, sim.cli; print('solara' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    result = CliRunner().invoke(main, ["dashboard", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--host" in result.output and "127.0.0.1" in result.output


# -------------------------------------------------------------------- page
def test_page_renders_controls_and_live_charts():
    _box, rc = solara.render(Page(), handle_error=False)
    for label in ("Play", "Step", "Reset"):
        button(rc, label)
    for name in ("sharing", "network"):
        assert chart(rc, name).src.startswith("data:image/jpeg;base64,")
    rc.find(v.Switch, label="Demonstration mode").assert_single()


def test_step_and_reset_move_the_run_and_redraw_the_charts():
    dash = small(employees=200)
    _box, rc = solara.render(LiveView(dash), handle_error=False)
    before = chart(rc, "sharing").src, chart(rc, "network").src
    for _ in range(3):
        dash.step()
    assert dash.week.value == 3 and dash.run.week == 3
    after = chart(rc, "sharing").src, chart(rc, "network").src
    assert after[0] != before[0] and after[1] != before[1]
    old = dash.run
    dash.reset()
    assert dash.run.week == 0 and chart(rc, "sharing").src != after[0]
    assert not dash.step(only=old) and dash.run.week == 0  # a play thread of the old run stops


def test_play_steps_on_a_thread_until_paused():
    dash = small(employees=100)
    dash.speed.value = 20
    _box, _rc = solara.render(Player(dash), handle_error=False)
    dash.playing.value = True
    deadline = time.monotonic() + 30
    while dash.run.week < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    dash.playing.value = False
    reached = dash.run.week
    assert reached >= 3
    time.sleep(0.5)
    assert dash.run.week <= reached + 1  # stopped


def test_play_stops_at_the_last_week():
    dash = small(employees=60, weeks=4)
    dash.toggle_play()
    while dash.step():
        pass
    assert dash.run.week == 4 and dash.playing.value is False
    assert dash.run.done


# ---------------------------------------------------------------- choosing
def test_preset_then_intervention_switched_on_runs_against_its_baseline():
    dash = small("baseline")
    assert dash.run.baseline is None  # no intervention: the run is its own baseline
    assert dash.set_intervention("recognition_programme", on=True)
    scenario = dash.scenario.value
    assert [item.type for item in scenario.interventions] == ["recognition_programme"]
    assert dash.run.baseline is not None and dash.run.baseline.params.interventions == []
    assert dash.set_intervention("recognition_programme", start=5, end=40, intensity=0.9)
    item = dash.scenario.value.interventions[0]
    assert (item.start, item.end, item.intensity) == (5, 40, 0.9)
    assert dash.set_intervention("recognition_programme", on=False)
    assert dash.scenario.value.interventions == []


def test_baseline_has_the_same_organisation_and_seed():
    run = Run(load_scenario("combined_programme", employees=150), seed=9)
    assert run.baseline is not None
    assert np.array_equal(run.model.org.team, run.baseline.org.team)
    assert np.array_equal(run.model.state.disposition, run.baseline.state.disposition)
    assert baseline_of(run.scenario).interventions == []


def test_every_family_has_a_row_and_can_be_switched_on():
    rows = choices.intervention_rows(load_scenario("baseline"))
    assert len(rows) == len(FAMILIES) == 15 and not any(row["on"] for row in rows)
    scenario = load_scenario("baseline")
    for row in rows:
        scenario = choices.set_intervention(scenario, row["type"], on=True)
    assert len(scenario.interventions) == len(FAMILIES)


def test_invalid_setting_changes_nothing_and_says_why():
    dash = small()
    scenario, serial = dash.scenario.value, dash.run.serial
    assert not dash.apply(employees=12, departments=5)
    assert "departments need at least 15 employees" in dash.error.value
    assert not dash.set_intervention("recognition_programme", start=70, end=20)
    assert "must be after start" in dash.error.value
    assert dash.scenario.value is scenario and dash.run.serial == serial
    assert dash.apply(psychological_safety=0.3) and dash.error.value == ""


def test_bad_upload_shows_the_cli_messages_and_changes_nothing(tmp_path):
    dash = small()
    scenario, serial = dash.scenario.value, dash.run.serial
    assert not dash.load_upload("bad.toml", BAD_FILE.encode())
    assert dash.scenario.value is scenario and dash.run.serial == serial
    path = tmp_path / "bad.toml"
    path.write_text(BAD_FILE)
    cli = CliRunner().invoke(main, ["validate", str(path)])
    assert cli.exit_code == 1
    assert dash.error.value.splitlines()[1:] == cli.output.strip().splitlines()[1:]  # the same problems, word for word
    assert "did you mean 'recognition'" in dash.error.value
    assert "did you mean 'recognition_programme'" in dash.error.value
    _box, _rc = solara.render(Page(), handle_error=False)  # and the page shows such an error
    assert not dash.load_upload("broken.toml", b"weeks = [")
    assert "not valid TOML" in dash.error.value


def test_good_upload_replaces_the_scenario():
    dash = small()
    assert dash.load_upload("ours.toml", b"weeks = 30\n[organisation]\nemployees = 120\n")
    assert dash.scenario.value.name == "ours" and dash.run.model.org.n == 120
    assert dash.source.value == "file 'ours.toml'" and dash.error.value == ""


# ------------------------------------------------------------------ export
def test_exported_scenario_reproduces_the_dashboard_run_with_kshare_run(tmp_path):
    dash = small("recognition_programme", employees=180, seed=7)
    assert dash.set_intervention("feedback_loop", on=True)
    assert dash.set_intervention("feedback_loop", start=5, end=25, intensity=0.8)
    assert dash.apply(recognition=0.2)
    for _ in range(30):
        dash.step()
    path = tmp_path / "exported.toml"
    path.write_text(dash.export_scenario())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    cli = (out / "timeseries.csv").read_text().splitlines()
    ours = dash.export_csv().splitlines()
    assert len(ours) == 32 and ours == cli[: len(ours)]  # header and weeks 0..30, digit for digit


def test_exported_scenario_is_complete_and_valid():
    scenario = load_scenario("combined_programme", seed=3)
    text = export.scenario_toml(scenario, "preset 'combined_programme'")
    assert text.startswith("# Exported from the kshare dashboard")
    assert "[behaviour]" in text and "intention_bias" in text  # every parameter, not only what differs
    assert choices.from_upload("x.toml", text) == scenario


def test_chart_pngs_for_slides():
    dash = small(employees=120)
    for _ in range(5):
        dash.step()
    for which in ("sharing", "network", "experiences", "spread"):
        png = dash.export_png(which, dpi=80)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"


# ----------------------------------------------------------------- network
def test_clicking_near_an_employee_selects_them_and_explains_why():
    dash = small(employees=300)
    for _ in range(4):
        dash.step()
    _box, rc = solara.render(LiveView(dash), handle_error=False)
    chart_obj = dash._network()
    assert chart_obj.layout.xy is not None
    x, y = chart_obj.layout.xy[123]
    left, bottom, width, height = chart_obj.AXES
    x0, x1, y0, y1 = chart_obj.limits
    fx = left + (x - x0) / (x1 - x0) * width
    fy = 1 - (bottom + (y - y0) / (y1 - y0) * height)
    dash.pick(fx, fy)
    assert dash.selected.value == 123
    assert chart(rc, "drivers").src.startswith("data:image/jpeg")
    text = why(dash.run.describe(123))
    assert text.startswith("Employee 123 (") and "chance that they share" in text


def test_drivers_are_recorded_from_week_zero_for_small_organisations():
    dash = small(employees=150)
    for _ in range(6):
        dash.step()
    weeks, rows = dash.run.drivers_history(10)
    assert list(weeks) == list(range(7))
    assert rows[-1] == pytest.approx(dash.run.model.employees[10].drivers())


def test_layout_is_computed_once_per_organisation():
    dash = small(employees=200)
    first = network.layout_for(dash.run.model)
    dash.reset()
    assert network.layout_for(dash.run.model) is first  # a reset reuses it
    dash.apply(psychological_safety=0.2)
    assert network.layout_for(dash.run.model) is first  # the same organisation with another culture too
    positions = first.xy
    assert positions is not None and positions.shape == (200, 2)
    assert len({tuple(cell) for cell in first.team_cell}) == dash.run.model.org.n_teams  # one cell per team


def test_large_organisations_get_a_team_view():
    dash = small(employees=6000, departments=12)
    _box, rc = solara.render(LiveView(dash), handle_error=False)
    layout = network.layout_for(dash.run.model)
    assert not layout.per_person and layout.xy is None
    assert chart(rc, "network").src.startswith("data:image/jpeg")
    column, row = layout.team_cell[5]
    chart_obj = dash._network()
    left, bottom, width, height = chart_obj.AXES
    x0, x1, y0, y1 = chart_obj.limits
    fx = left + (column + 0.5 - x0) / (x1 - x0) * width
    fy = 1 - (bottom + (row + 0.5 - y0) / (y1 - y0) * height)
    dash.pick(fx, fy)
    assert dash.selected.value == int(dash.run.model.org.team_manager[5])


# -------------------------------------------------------------------- demo
def test_demonstration_mode_shows_one_large_chart_and_the_story():
    dash = small("blame_culture", employees=150)
    dash.demo.value = True
    _box, rc = solara.render(DemoView(dash), handle_error=False)
    assert len(rc.find(v.VuetifyTemplate, name="sharing").widgets) == 1
    assert not rc.find(v.VuetifyTemplate, name="network").widgets
    assert dash.story().startswith("An ordinary organisation, sharing as much as the baseline")
    dash.demo_chart.value = "network"
    assert rc.find(v.VuetifyTemplate, name="network").widgets and not rc.find(v.VuetifyTemplate, name="sharing").widgets
    assert dash.style() is charts.DEMO


@pytest.mark.parametrize("preset", preset_names())
def test_every_preset_plays_and_draws_with_a_story(preset):
    dash = Dashboard(preset)
    assert dash.apply(employees=120, weeks=30)
    for _ in range(3):
        dash.step()
    dash.select(5)
    pictures = [dash.sharing_frame(), dash.network_frame()]
    if dash.run.has_drivers:  # not under the knowledge-barter rule, where nobody decides
        pictures.append(dash.drivers_frame(5))
    assert all(picture[:3] == JPEG for picture in pictures)
    assert why(dash.run.describe(5)).startswith("Employee 5 (")
    assert dash.story()


def test_employee_panel_accepts_a_typed_number():
    dash = small(employees=100)
    _box, rc = solara.render(EmployeePanel(dash), handle_error=False)
    dash.select(42)
    assert rc.find(v.VuetifyTemplate, name="drivers").widgets
    dash.select(1000)
    assert "no employee 1000" in dash.error.value and dash.selected.value == 42


def test_experiences_by_department_and_spread_render():
    dash = small(employees=150)
    for _ in range(3):
        dash.step()
    dash.group_by.value = "department"
    dash.quantity.value = "sharing_rate"
    assert dash.grouping() == ("department", dash.scenario.value.organisation.departments)
    assert dash.experiences_frame()[:3] == JPEG
    assert dash.spread_frame()[:3] == JPEG


def test_csv_has_kshare_runs_columns():
    dash = small(employees=80)
    dash.step()
    frame = pd.read_csv(io.StringIO(dash.export_csv()))
    assert list(frame.columns) == list(dash.run.model.timeseries().columns)
    assert frame["week"].tolist() == [0, 1]


def test_an_end_week_means_what_a_files_end_means_and_never_is_a_switch():
    from sim.dashboard.controls import InterventionRow

    def row_of(dash, kind):
        return next(row for row in choices.intervention_rows(dash.scenario.value) if row["type"] == kind)

    dash = small("recognition_programme")  # weeks 10 to 60
    _box, rc = solara.render(InterventionRow(dash, row_of(dash, "recognition_programme")), handle_error=False)
    never = rc.find(v.Checkbox, label="never ends").widget
    never.v_model = True  # "never" is a missing end, as in a file, not a week number
    assert dash.scenario.value.interventions[0].end is None
    _box, rc = solara.render(InterventionRow(dash, row_of(dash, "recognition_programme")), handle_error=False)
    assert not rc.find(v.TextField, label="End week").widgets  # nothing to set while it never ends
    rc.find(v.Checkbox, label="never ends").widget.v_model = False
    assert dash.scenario.value.interventions[0].end == 62  # a year after its start
    # A negative event must end, as in a file: it has no switch to make it last for ever.
    dash = small("blame_culture")
    _box, rc = solara.render(InterventionRow(dash, row_of(dash, "blame_incident")), handle_error=False)
    assert not rc.find(v.Checkbox, label="never ends").widgets
    rc.find(v.TextField, label="End week").assert_single()


def test_the_run_line_follows_a_new_run_made_at_week_0():
    """Issue 12: choosing a preset, uploading or changing the seed or size at week 0 left the line stale."""
    from sim.dashboard.controls import RunControls

    def line(rc) -> str:
        texts = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets if "Week" in w.unsafe_innerHTML]
        assert len(texts) == 1, texts
        return texts[0]

    dash = small("recognition_programme")
    _box, rc = solara.render(RunControls(dash), handle_error=False)
    assert "Week 0 of 130" in line(rc) and f"seed {preset_seed('recognition_programme')}" in line(rc)
    dash.load_preset("baseline")
    assert "Week 0 of 104" in line(rc)
    assert dash.apply(seed=7, employees=300)
    assert "seed 7" in line(rc) and "300 employees" in line(rc)
    assert dash.load_upload("ours.toml", b'name = "ours"\nweeks = 20\n[organisation]\nemployees = 150\n')
    assert "Week 0 of 20" in line(rc) and "150 employees" in line(rc)
