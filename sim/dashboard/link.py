"""The page's address holds what the user chose, so that a reload or a shared link shows the same thing.

A preset as it ships is named (``?preset=blame_culture``); settings that were
edited or uploaded travel whole, as the scenario file the Export view writes,
compressed into the address (``scenario=...``). Either way every parameter,
the seed and the weeks come back, so the run replays to the same numbers. The
view, demonstration mode and its chart, the selected employee, the grouping
and the speed come back too. The week does not: a reloaded run starts at week
0, and Play replays it exactly.

A link is input from outside like an uploaded file: its scenario is read by
the same parser, with the same limits and messages (``choices.from_upload``),
and anything else in it that is not valid is ignored with a message, never
half-applied.

Files uploaded to the dashboard (an organisation chart, ties, a survey) cannot
travel in a link, and their contents never go into an address: the link names
them (``files=org.csv,survey.csv``) and holds the rest of the settings; opened,
it says the files were not carried and shows a generated organisation of the
same size until they are uploaded again.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

import tomli_w

from sim.dashboard import choices, export
from sim.own_org import FILE_KEYS
from sim.scenario_files import ScenarioError, preset_names, shorten

if TYPE_CHECKING:
    from sim.dashboard.state import Dashboard

#: Addresses longer than this are refused before anything is decoded (a scenario compresses to about 1 kB).
MAX_LINK = 16_000
#: A scenario in a link is at most this large once decompressed, like a small scenario file.
MAX_SCENARIO_BYTES = 256_000


def _pack(text: str) -> str:
    return base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")


def _unpack(value: str) -> str:
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    inflater = zlib.decompressobj()
    text = inflater.decompress(raw, MAX_SCENARIO_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError(f"the scenario in the link is larger than {MAX_SCENARIO_BYTES:,} bytes")
    return text.decode("utf-8")


def encode(dash: Dashboard) -> str:
    """The query string of what ``dash`` shows now."""
    query: dict[str, str] = {}
    if dash.preset.value:
        query["preset"] = dash.preset.value
    if dash.edited.value or not dash.preset.value:
        data = export._drop_none(dash.scenario.value.model_dump(mode="json"))
        files = choices.named_files(data)
        if files:  # uploaded files stay in this dashboard: the link names them, and never holds their contents
            for section, key in FILE_KEYS.values():
                data.get(section, {}).pop(key, None)
            query["files"] = ",".join(files.values())
        query["scenario"] = _pack(tomli_w.dumps(data))
    if dash.view.value != "live":
        query["view"] = dash.view.value
    if dash.demo.value:
        query["demo"] = dash.demo_chart.value
    if dash.selected.value is not None:
        query["employee"] = str(dash.selected.value)
    if dash.group_by.value != "level":
        query["group"] = dash.group_by.value
    if dash.quantity.value != "satisfaction":
        query["quantity"] = dash.quantity.value
    if dash.speed.value != 8.0:
        query["speed"] = f"{dash.speed.value:g}"
    return urlencode(query)


def restore(dash: Dashboard, search: str) -> list[str]:
    """Show what the query string ``search`` holds; returns what in it was ignored, and why."""
    from sim.dashboard.state import DEMO_CHARTS, MAX_SPEED, SEEKING_DEMO_CHART, VIEWS, demo_charts

    if not search:
        return []
    if len(search) > MAX_LINK:
        return [f"the link is longer than {MAX_LINK:,} characters and was not read"]
    query = {key: values[-1] for key, values in parse_qs(search, keep_blank_values=True).items()}
    ignored: list[str] = []
    preset = query.get("preset", "")
    if preset and preset not in preset_names():
        ignored.append(f"no preset named '{preset}'")
        preset = ""
    if "files" in query:
        ignored.append(
            f"the link was made with uploaded files ({shorten(query['files'], 200)}), which a link cannot carry: "
            "this is a generated organisation of the same size; upload the files again to run on them"
        )
    if "scenario" in query:
        try:
            text = _unpack(query["scenario"])
            scenario = choices.from_upload("the link", text)
        except (ValueError, binascii.Error, zlib.error, UnicodeDecodeError) as error:
            ignored.append(f"the scenario in the link could not be read ({error})")
        except ScenarioError as error:
            ignored.append(str(error))
        else:
            dash.restore(scenario, preset)
    elif preset:
        dash.load_preset(preset)
    if query.get("view") in VIEWS:
        dash.view.value = query["view"]
    demo = query.get("demo", "")
    if demo in DEMO_CHARTS or demo in SEEKING_DEMO_CHART:
        dash.demo.value = True
        dash.demo_chart.value = demo if demo in demo_charts(dash.run) else "sharing"
        if demo != dash.demo_chart.value:
            ignored.append(f"this scenario does not ask for help (seeking is off): the {demo} chart is not shown")
    if query.get("group") in ("level", "department"):
        dash.group_by.value = query["group"]
    if "quantity" in query:
        from sim.dashboard.charts import QUANTITY_LABELS

        if query["quantity"] in QUANTITY_LABELS:
            dash.quantity.value = query["quantity"]
    if "speed" in query:
        try:
            dash.speed.value = float(min(MAX_SPEED, max(1, int(float(query["speed"])))))
        except ValueError:
            ignored.append(f"speed '{query['speed']}' is not a number")
    if "employee" in query:
        text = query["employee"]
        if text.isdigit() and int(text) < dash.run.model.org.n:
            dash.select(int(text))
        else:
            ignored.append(f"there is no employee '{text}' in this organisation")
    return ignored
