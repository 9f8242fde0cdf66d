"""The dashboard's edges (issue 11): who can reach it, and names that come in by upload or go out by download."""

import socket

import pytest
import solara.__main__ as solara_main
from click.testing import CliRunner

from sim.cli import main
from sim.dashboard import choices, command, export
from sim.dashboard.state import Dashboard
from sim.files import MAX_STEM, safe_stem
from sim.scenario_files import load_scenario


@pytest.fixture
def started(monkeypatch):
    """``kshare dashboard`` up to the point where Solara would serve: the arguments it would get, or None."""
    calls: list[list[str]] = []
    monkeypatch.setattr(solara_main.cli, "main", lambda args, **kwargs: calls.append(args))

    def invoke(*args: str):
        return CliRunner().invoke(main, ["dashboard", *args]), (calls[-1] if calls else None)

    return invoke


def test_any_host_but_this_computer_gets_a_loud_warning_and_the_real_address(started):
    result, args = started("--host", "0.0.0.0", "--port", "0")
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.stderr and "no login" in result.stderr and "anyone who can reach" in result.stderr
    port = args[args.index("--port") + 1]
    assert f"port {port}" in result.stderr and args[args.index("--host") + 1] == "0.0.0.0"
    address = result.stdout.strip().splitlines()[-1]
    assert f":{port}" in address and "127.0.0.1" not in address and "0.0.0.0" not in address
    assert socket.gethostname() in address


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_this_computer_only_gets_no_warning(started, host):
    result, args = started("--host", host, "--port", "0")
    assert result.exit_code == 0 and args is not None
    assert "WARNING" not in result.output and f"http://{host}:" in result.stdout


def test_a_host_that_does_not_resolve_is_one_line_and_starts_nothing(started):
    result, args = started("--host", "nonexistent.invalid")
    assert result.exit_code == 1 and args is None
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--host nonexistent.invalid" in lines[0] and "Traceback" not in result.output


def test_a_busy_port_is_one_line_and_starts_nothing(started):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result, args = started("--port", port)
    assert result.exit_code == 1 and args is None
    expected = f"Error: --host 127.0.0.1 --port {port}: cannot listen there: Address already in use"
    assert result.stderr.strip().splitlines() == [expected]


def test_is_local():
    assert all(command.is_local(h) for h in ("localhost", "LOCALHOST", "127.0.0.1", "127.0.1.1", "::1"))
    assert not any(command.is_local(h) for h in ("0.0.0.0", "", "::", "192.168.1.5", "myhost.example"))


@pytest.mark.parametrize("name", ["../../ESCAPED", "/etc/x", "..", "a\u0000b", "x" * 5000])
def test_upload_with_an_unsafe_name_is_refused_and_changes_nothing(name):
    dash = Dashboard("baseline")
    scenario = dash.scenario.value
    text = 'name = "' + name.replace("\x00", "\\u0000") + '"\nweeks = 20\n'
    assert not dash.load_upload("ours.toml", text.encode())
    assert dash.scenario.value is scenario
    assert dash.error.value.startswith("ours.toml: ") and "key 'name'" in dash.error.value


def test_upload_file_name_is_only_a_default_name_and_never_a_path():
    assert choices.from_upload("../../evil.toml", b"weeks = 20\n").name == "evil"
    assert choices.from_upload(".hidden.toml", b"weeks = 20\n").name == "uploaded"
    assert choices.from_upload("a\x00b.toml", b"weeks = 20\n").name == "uploaded"


@pytest.mark.parametrize("name", ["../../ESCAPED", "/etc/passwd", "..", "a\x00b\nc", "ü" * 300, "___"])
def test_download_names_are_safe_stems(name):
    stem = export.file_stem(load_scenario("baseline").model_copy(update={"name": name}))
    assert safe_stem(stem) == stem and len(stem) <= MAX_STEM and "/" not in stem and not stem.startswith(".")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        ("x = " + "[" * 200 + "]" * 200 + "\n", "deeper than"),
        ("weeks = 1" + "0" * 5000 + "\n", "64 bits"),
        ("name = 'x'\n".encode("utf-16"), "UTF-16"),
        (b"\x00\x01\x02\xff", "not UTF-8"),
    ],
)
def test_a_hostile_upload_is_one_message_and_changes_nothing(content, words):
    dash = Dashboard("baseline")
    scenario = dash.scenario.value
    assert not dash.load_upload("ours.toml", content if isinstance(content, bytes) else content.encode())
    assert dash.scenario.value is scenario
    assert dash.error.value.startswith("ours.toml") and words in dash.error.value, dash.error.value
