"""The page around the charts, without a browser: its address, its refusals, its sizes and its tabs.

The browser tests (``test_dashboard_browser.py``) check the same through Chromium;
these pin the logic down quickly and exactly.
"""

import base64
import io
import zlib

import ipyvuetify as v
import pytest
import solara
from PIL import Image

from sim.dashboard import link, messages
from sim.dashboard.app import DashboardPage
from sim.dashboard.controls import OrganisationFields
from sim.dashboard.state import Dashboard


def small(preset: str = "recognition_programme", **overrides) -> Dashboard:
    dash = Dashboard(preset)
    if overrides:
        assert dash.apply(**overrides)
    return dash


# ---------------------------------------------------------------- the address
def test_a_preset_as_it_ships_is_named_in_the_address():
    assert link.encode(Dashboard("baseline")) == "preset=baseline"


def test_a_link_brings_back_edited_settings_the_view_and_the_selection():
    first = small(employees=300, psychological_safety=0.3, seed=7)
    assert first.set_intervention("mentoring", on=True, start=5, end=40)
    first.view.value = "experiences"
    first.quantity.value = "perceived_safety"
    first.speed.value = 12.0
    first.select(5)
    query = link.encode(first)
    assert "scenario=" in query and len(query) < 4000

    second = Dashboard()
    assert link.restore(second, query) == []
    assert second.scenario.value == first.scenario.value  # every parameter, the seed and the weeks
    assert second.run.model.org.n == 300
    assert second.preset.value == "recognition_programme" and second.edited.value
    assert (second.view.value, second.quantity.value, second.speed.value) == ("experiences", "perceived_safety", 12.0)
    assert second.selected.value == 5
    assert link.encode(second) == query  # and it writes the same address back


def test_demonstration_mode_and_its_chart_come_back_from_a_link():
    dash = Dashboard()
    link.restore(dash, "preset=blame_culture&demo=network")
    assert dash.preset.value == "blame_culture" and dash.demo.value and dash.demo_chart.value == "network"


def test_what_a_link_gets_wrong_is_listed_and_the_rest_is_not_half_applied():
    dash = Dashboard("baseline")
    before = dash.scenario.value
    ignored = link.restore(dash, "preset=no_such_preset&scenario=%21%21not-base64&employee=99999&speed=fast")
    text = "\n".join(ignored)
    assert "no preset named 'no_such_preset'" in text
    assert "could not be read" in text
    assert "no employee '99999'" in text and "speed 'fast'" in text
    assert dash.scenario.value == before and dash.selected.value is None


def test_a_scenario_in_a_link_is_validated_as_a_file_is():
    bad = link._pack('name = "x"\n[culture]\npsychological_safety = 2.0\n')
    dash = Dashboard("baseline")
    before = dash.scenario.value
    (problem,) = link.restore(dash, f"scenario={bad}")
    assert "the link" in problem and "psychological_safety" in problem and "from 0.0 to 1.0" in problem
    assert dash.scenario.value == before


def test_a_link_that_would_inflate_to_megabytes_is_refused():
    bomb = base64.urlsafe_b64encode(zlib.compress(b"#" * 5_000_000, 9)).decode().rstrip("=")
    (problem,) = link.restore(Dashboard("baseline"), f"scenario={bomb}")
    assert "larger than" in problem
    assert "longer than" in link.restore(Dashboard("baseline"), "x=" + "a" * (link.MAX_LINK + 1))[0]


# ------------------------------------------------------------------ refusals
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"team_size": 1}, "People per team: expected a whole number from 3 to 50, got 1"),
        ({"seed": -1}, "Seed: expected a whole number 0 or more, got -1"),
        (
            {"employees": 2**63 - 1},
            "Employees: expected a whole number from 10 to 2,000,000, got 9,223,372,036,854,775,807",
        ),
        ({"psychological_safety": 2}, "Psychological safety: expected a number from 0.0 to 1.0, got 2"),
    ],
)
def test_a_refused_setting_is_explained_with_the_fields_label_and_readable_limits(change, expected):
    dash = small()
    before = dash.scenario.value
    assert not dash.apply(**change)
    assert dash.error.value == expected
    assert "organisation." not in dash.error.value and "culture." not in dash.error.value
    assert dash.scenario.value == before


def test_a_refused_intervention_window_names_the_programme_not_its_index():
    dash = small("baseline")
    assert not dash.set_intervention("recognition_programme", on=True, start=70)
    assert dash.error.value.startswith("recognition programme: end (60) must be after start (70)")
    assert "interventions.0" not in dash.error.value and dash.error_at.value == "interventions"


def test_a_field_whose_value_was_refused_shows_the_value_in_force_again():
    dash = small(employees=300)
    _box, rc = solara.render(OrganisationFields(dash), handle_error=False)
    field = rc.find(v.TextField, label="Employees").widget
    # The event carries the typed text; the field's own value may not have reached the server yet (a busy page).
    assert field.v_model == "300"
    field.fire_event("change", "5")
    assert "Employees: expected a whole number from 10" in dash.error.value
    assert dash.scenario.value.organisation.employees == 300
    assert rc.find(v.TextField, label="Employees").widget.v_model == "300"  # not the refused 5
    assert any("Employees: expected" in str(w.children) for w in rc.find(v.Alert).widgets)  # said beside it


def test_readable_limits_leave_small_numbers_and_decimals_alone():
    assert messages.readable("from 0 to 9223372036854775807, got 0.12345") == "0 or more, got 0.12345"
    assert messages.readable("got 5200 weeks, 123456 runs") == "got 5200 weeks, 123,456 runs"


# ---------------------------------------------------------------------- sizes
def _pixels(frame: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(frame)).size


def test_a_chart_is_drawn_at_the_size_and_pixel_density_of_its_box():
    dash = small(employees=150)
    dash.resized("sharing", {"width": 529, "height": 0, "dpr": 2})
    assert dash.shown_width("sharing") == 520  # kept to 10 px steps, never wider than the box
    width, height = _pixels(dash.sharing_frame())
    assert width == 1040  # twice as many pixels for a screen with two pixels per CSS pixel
    style, _ = dash.style_for("sharing")
    assert height == pytest.approx(2 * 100 * style.height, abs=2)
    dash.demo.value = True
    dash.resized("sharing", {"width": 996, "height": 438, "dpr": 1})
    assert _pixels(dash.sharing_frame()) == (990, 430)  # demonstration mode: the box's height as well


def test_downloads_keep_their_standard_size_whatever_the_box():
    dash = small(employees=150)
    standard = _pixels(dash.export_png("sharing", dpi=100))
    dash.resized("sharing", {"width": 400, "height": 0, "dpr": 2})
    assert _pixels(dash.export_png("sharing", dpi=100)) == standard


# ----------------------------------------------------------------------- tabs
def test_the_view_tabs_say_which_is_chosen_and_switch_views():
    dash = small(employees=150)
    _box, rc = solara.render(DashboardPage(dash), handle_error=False)

    def tabs():
        return {
            w.children[0]: w.attributes["aria-selected"]
            for w in rc.find(v.Btn).widgets
            if (w.attributes or {}).get("role") == "tab"
        }

    assert tabs()["Live"] == "true" and tabs()["Compare"] == "false"
    [experiences] = [w for w in rc.find(v.Btn).widgets if w.children[:1] == ["Experiences"]]
    experiences.click()
    assert dash.view.value == "experiences"
    assert tabs()["Experiences"] == "true" and tabs()["Live"] == "false"
