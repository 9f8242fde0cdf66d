"""Uploading an organisation's own files to the dashboard (issue 13): a chart, ties and a survey, or a scenario
that names them. The files are held in memory and never written to disk; a bad file is refused with its rows and
column and changes nothing; the network picture names the real departments."""

from __future__ import annotations

import builtins
import io
import re
from pathlib import Path

import pytest

from sim.dashboard import choices, link
from sim.dashboard.network import names_text, team_label
from sim.dashboard.state import Dashboard
from sim.orgdata import OrgDataError, uploads
from sim.orgdata.reader import read_org
from sim.own_org import _stamp
from sim.scenario_files import validate

ACME = Path(__file__).resolve().parent.parent / "examples" / "acme"
DEPARTMENTS = ["Engineering", "Legal", "Finance", "Customer Support", "Sales", "Marketing", "Operations", "HR"]


def acme(*names: str) -> list[tuple[str, bytes]]:
    return [(name, (ACME / name).read_bytes()) for name in names]


@pytest.fixture(autouse=True)
def empty_store():
    uploads.clear()
    yield
    uploads.clear()


@pytest.fixture
def no_writes(tmp_path, monkeypatch):
    """An empty current folder and home, and a record of every file opened for writing."""
    folder, home = tmp_path / "cwd", tmp_path / "home"
    folder.mkdir()
    home.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("HOME", str(home))
    written: list[str] = []
    real_open = builtins.open

    def watched_open(file, mode="r", *args, **kwargs):
        if any(flag in str(mode) for flag in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def refused(self, *args, **kwargs):
        written.append(str(self))
        raise AssertionError(f"wrote {self}")

    monkeypatch.setattr(builtins, "open", watched_open)
    monkeypatch.setattr(io, "open", watched_open)
    monkeypatch.setattr(Path, "write_bytes", refused)
    monkeypatch.setattr(Path, "write_text", refused)
    yield written
    assert list(folder.iterdir()) == [] and list(home.iterdir()) == []


# ------------------------------------------------------------ the dashboard
def test_a_chart_and_survey_upload_runs_the_model_on_them_and_writes_nothing(no_writes):
    dash = Dashboard()
    assert dash.load_files(acme("org.csv", "survey.csv")), dash.error.value
    org = dash.run.model.org
    assert org.n == 1218
    assert org.department_names is not None and set(DEPARTMENTS) <= set(org.department_names)
    scenario = dash.scenario.value
    assert uploads.is_upload(scenario.organisation.chart) and uploads.is_upload(scenario.culture.survey)
    assert (scenario.organisation.employees, scenario.organisation.departments) == (1218, 9)
    assert dash.organisation_line() == "1,218 people in 9 departments, from org.csv, with survey.csv"
    assert dash.notice.value.startswith("Loaded org.csv and survey.csv: 1,218 people")
    assert "on org.csv and survey.csv" in dash.source.value
    for _ in range(3):
        assert dash.step()
    dash.network_frame()
    assert no_writes == []


def test_a_bad_chart_is_refused_with_its_row_and_column_and_changes_nothing(no_writes):
    dash = Dashboard()
    assert dash.load_files(acme("org.csv"))
    before, serial = dash.scenario.value, dash.serial.value
    text = (ACME / "org.csv").read_text().splitlines()
    text[4] = text[4].replace(text[4].split(",")[3], "NOBODY", 1)  # row 5's manager_id
    assert not dash.load_files([("ours.csv", ("\n".join(text) + "\n").encode())])
    assert dash.error_at.value == "scenario"
    message = dash.error.value
    assert "ours.csv: column 'manager_id', row 5" in message and "'NOBODY'" in message
    assert "organisation.chart" not in message  # the file's name, not the scenario key that named it
    assert dash.scenario.value is before and dash.serial.value == serial
    assert dash.run.model.org.n == 1218


def test_a_scenario_alone_asks_for_the_files_it_names_and_runs_once_they_come():
    dash = Dashboard()
    before = dash.scenario.value
    assert not dash.load_files(acme("scenario.toml"))
    assert (
        "scenario.toml: names org.csv (the organisation chart), ties.csv (the collaboration ties) and survey.csv "
        "(the team survey), not "
    ) in dash.error.value
    assert "cannot open files on this computer by name: upload them now" in dash.error.value
    assert dash.scenario.value is before and dash.waiting_for() == ["org.csv", "ties.csv", "survey.csv"]
    assert not dash.load_files(acme("org.csv", "survey.csv"))  # still waiting for ties.csv, and says so
    assert "names ties.csv (the collaboration ties), not uploaded" in dash.error.value
    assert dash.waiting_for() == ["ties.csv"]
    assert dash.load_files(acme("ties.csv")), dash.error.value
    assert dash.scenario.value.name == "acme_baseline" and dash.run.model.org.n == 1218
    assert dash.pending.value is None


def test_a_scenario_with_its_files_chosen_together_runs_and_says_what_it_did_not_use():
    dash = Dashboard()
    assert dash.load_files(
        [*acme("scenario.toml", "org.csv", "ties.csv", "survey.csv"), ("extra.csv", (ACME / "survey.csv").read_bytes())]
    ), dash.error.value
    assert dash.scenario.value.organisation.ties is not None and dash.scenario.value.culture.survey is not None
    assert "Not used, as the scenario does not name it: extra.csv" in dash.notice.value


def test_an_uploaded_scenario_never_opens_a_file_on_the_server_by_name(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_bytes((ACME / "org.csv").read_bytes())
    text = f'[organisation]\nchart = "{secret}"\n'
    expected = re.escape("names secret.csv (the organisation chart), not uploaded")
    with pytest.raises(choices.MissingFiles, match=expected):
        choices.from_upload("ours.toml", text)


def test_csv_files_are_told_apart_by_their_headers():
    assert [choices.csv_role(content) for _, content in acme("org.csv", "ties.csv", "survey.csv")] == [
        "chart",
        "ties",
        "survey",
    ]
    assert choices.csv_role(b"\xef\xbb\xbfID, Manager ID,department,team\n") == "chart"
    assert choices.csv_role(b"a,b\n1,2\n") is None
    dash = Dashboard()
    assert not dash.load_files([*acme("org.csv"), ("notes.csv", b"a,b\n1,2\n")])
    assert "notes.csv: not a file kshare reads; its first line should name" in dash.error.value
    assert not dash.load_files(acme("survey.csv"))  # a survey needs its chart
    assert "survey.csv needs the organisation chart it belongs to" in dash.error.value


def test_a_survey_on_another_scale_is_read_on_the_scale_chosen():
    dash = Dashboard()
    dash.set_survey_scale("0-1")
    assert not dash.load_files(acme("org.csv", "survey.csv"))
    assert "survey.csv: column 'psychological_safety', rows 2, 3" in dash.error.value
    assert "outside the declared scale 0-1" in dash.error.value
    dash.set_survey_scale("1-7")
    assert dash.load_files(acme("org.csv", "survey.csv"))
    assert dash.scenario.value.culture.survey_scale == "1-7"
    assert not dash.set_survey_scale("0-1")  # refused for the survey in force: nothing changes
    assert dash.scenario.value.culture.survey_scale == "1-7" and dash.survey_scale.value == "1-7"


def test_the_organisation_can_go_back_to_a_generated_one_of_the_same_size():
    dash = Dashboard()
    assert dash.load_files(acme("org.csv", "survey.csv"))
    assert dash.use_generated()
    scenario = dash.scenario.value
    assert scenario.organisation.chart is None and scenario.culture.survey is None
    assert scenario.organisation.employees == 1218 and dash.run.model.org.department_names is None
    assert dash.organisation_line() == ""


def test_a_file_too_large_is_refused_before_it_is_held(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 1000)
    dash = Dashboard()
    assert not dash.load_files(acme("org.csv"))
    assert "org.csv: is 106,373 bytes, larger than the limit of 1,000 bytes" in dash.error.value


# ----------------------------------------------------------------- the link
def test_the_link_names_the_uploaded_files_but_never_holds_them():
    dash = Dashboard()
    assert dash.load_files(acme("org.csv", "survey.csv"))
    query = link.encode(dash)
    assert "files=org.csv%2Csurvey.csv" in query
    assert "upload" not in link._unpack(query.split("scenario=")[1].split("&")[0])
    assert len(query) < 3000  # the settings, not 100 kB of chart
    other = Dashboard()
    ignored = link.restore(other, query)
    assert any("uploaded files (org.csv,survey.csv), which a link cannot carry" in item for item in ignored)
    assert other.scenario.value.organisation.chart is None
    assert other.scenario.value.organisation.employees == 1218


def test_a_link_whose_scenario_names_a_file_does_not_read_it():
    dash = Dashboard()
    before = dash.scenario.value
    query = "scenario=" + link._pack('[organisation]\nchart = "/etc/passwd"\n')
    ignored = link.restore(dash, query)
    assert any("names passwd (the organisation chart), not uploaded" in item for item in ignored)
    assert dash.scenario.value is before


# ----------------------------------------------------------- the file store
def test_an_upload_is_read_as_a_file_is_and_keeps_its_name_through_validation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chart = uploads.put("../../org.csv", (ACME / "org.csv").read_bytes())
    assert chart.startswith("upload:") and chart.endswith("/org.csv") and uploads.file_name(chart) == "org.csv"
    assert uploads.put("org.csv", (ACME / "org.csv").read_bytes()) == chart  # the same bytes, the same name
    scenario = validate({"organisation": {"chart": chart}}, "test")
    assert scenario.organisation.chart == chart  # not made absolute against the current folder
    assert _stamp(chart) == (-1, int(uploads.digest(chart), 16))
    assert read_org(chart).n == 1218


def test_the_store_is_bounded_and_a_dropped_upload_is_asked_for_again(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILES", 2)
    first = uploads.put("a.csv", b"id,manager_id,department,team\nA,,X,T\n")
    uploads.put("b.csv", b"1")
    uploads.put("c.csv", b"2")
    assert uploads.get(first) is None
    with pytest.raises(OrgDataError, match=r"a\.csv: is no longer held in memory .*: upload it again"):
        read_org(first)


def test_no_upload_is_mistaken_for_a_path_and_no_path_for_an_upload():
    assert uploads.is_upload("upload:0123456789abcdef/org.csv")
    assert not uploads.is_upload("/data/upload:x/org.csv") and not uploads.is_upload("org.csv")
    assert not uploads.is_upload(None)
    assert uploads.clean_name("C:\\Users\\me\\org\x07.csv") == "org.csv"


# -------------------------------------------------------------- the picture
def test_the_network_labels_blocks_by_department_name():
    dash = Dashboard()
    assert dash.load_files(acme("org.csv"))
    chart = dash._network()
    assert set(DEPARTMENTS) <= set(chart.department_labels)
    text = names_text(dash.run.model.org)
    assert text.startswith(" Blocks by department: Engineering, Legal")


def test_long_department_names_are_cut_with_an_ellipsis():
    text = (ACME / "org.csv").read_text().replace("Customer Support", "Customer Support and Service Excellence Centre")
    dash = Dashboard()
    assert dash.load_files([("org.csv", text.encode())])
    dash.resized("network", {"width": 420, "height": 0, "dpr": 1})
    labels = dash._network().department_labels
    cut = [label for label in labels if label.startswith("Customer")]
    assert cut and cut[0].endswith("…") and len(cut[0]) < 40


def test_the_team_view_names_the_framed_team():
    dash = Dashboard("baseline")
    assert dash.apply(employees=3000)
    org = dash.run.model.org
    assert team_label(org, 4) == "team 4"
    org.team_names = [f"Squad {t}" for t in range(org.n_teams)]
    org.department_names = [f"Division {d}" for d in range(int(org.team_department.max()) + 1)]
    employee = int(org.members[org.team_start[4] + 1])
    text = names_text(org, employee)
    assert f"Framed: team Squad {int(org.team[employee])}, in Division" in text
    assert f"for employee {employee}." in text


def test_files_too_large_for_the_page_to_send_are_explained():
    from sim.dashboard.controls import MAX_SENT_BYTES, too_much

    message = too_much([{"name": "org.csv", "size": 9_000_000}, {"name": "ties.csv", "size": 8_000_000}])
    assert message.startswith(f"org.csv, ties.csv: 17,000,000 bytes, more than the {MAX_SENT_BYTES:,} bytes")
    assert "one at a time" in message and "kshare run" in message
