"""Two small browser-side pieces the stock Solara components do not provide.

``ChartImage`` shows a server-rendered chart from a ``data:`` URL (no request
to any server) with alternative text; it reports where it was clicked as
fractions of its width and height, which is how clicking an employee in the
network view works, and which frame it has put on screen, which is how play
keeps pace with a slow browser. ``ScenarioUpload`` is a button that opens the file
picker and sends the chosen files' bytes to the server (a scenario, an
organisation's CSV files), where they are held in memory, never on disk. ``Prose`` shows text with a
little emphasis without Solara's Markdown component, which fetches scripts
from a CDN.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

import solara


@solara.component_vue("chart_image.vue")
def ChartImage(
    src: str,
    alt: str = "",
    name: str = "",
    clickable: bool = False,
    hint: str = "",
    frame: int = -1,
    width: int = 0,
    fill: bool = False,
    hover: dict | None = None,
    event_pick: Callable[[dict], None] | None = None,
    event_drawn: Callable[[int], None] | None = None,
    event_resize: Callable[[dict], None] | None = None,
):
    """``frame`` (if >= 0) is reported back through ``event_drawn`` once the picture is on screen.

    ``width`` is the width in CSS pixels the picture was drawn for (0: the box's width); ``fill``
    makes the box take the height its container gives it and report it through ``event_resize``
    with its width and the screen's pixel density. ``hover`` is a chart's ``hover()``: the week
    and values under the pointer, or under the arrow keys once the picture has focus.
    """


@solara.component_vue("native_select.vue")
def Select(
    label: str,
    value: str | None,
    values: list[str],
    labels: list[str] | None = None,
    placeholder: str = "choose…",
    event_pick: Callable[[str], None] | None = None,
):
    """The browser's own drop-down list, labelled; each value shown by its label (if given), and
    ``event_pick`` gets the chosen value."""


@solara.component_vue("page_setup.vue")
def PageSetup(lang: str = "en"):
    """Sets the page's language (``<html lang>``), which Solara's template leaves out."""


@solara.component_vue("upload.vue")
def ScenarioUpload(
    label: str = "Upload files",
    max_bytes: int = 0,
    event_upload: Callable[[list[dict]], None] | None = None,
):
    """A button that opens the file picker, several files at once; ``event_upload`` gets each file's name, size
    and bytes (base64), or None for a file over ``max_bytes``, which is not read."""


def markup(text: str) -> str:
    """A little Markdown as HTML: ``**bold**``, ```code```, line breaks; everything else escaped.

    Solara's own Markdown component loads KaTeX and Mermaid from a CDN on every
    page, which an offline page must not do; these texts need no more than this.
    """
    html = escape(text)
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    html = re.sub(r"`(.+?)`", r"<code>\1</code>", html)
    return html.replace("\n", "<br>")


@solara.component
def Prose(text: str, tag: str = "div", classes: list[str] | None = None, style: str | dict | None = None):
    """Text with a little emphasis (see ``markup``), in any HTML tag."""
    return solara.HTML(tag=tag, unsafe_innerHTML=markup(text), classes=classes or [], style=style)


@solara.component
def Tabs(options: dict[str, str], chosen: solara.Reactive[str], label: str = "Views", classes: list[str] | None = None):
    """Buttons that switch between views (``options``: key to label); only the chosen view is drawn at all.

    They are marked up as a tab list (``role=tab`` with ``aria-selected``), so a screen reader says which
    view is showing, and the chosen one is filled where the others are outlined.
    """
    with (
        solara.v.Html(
            tag="div",
            class_=" ".join(["kshare-tabs", *(classes or [])]),
            attributes={"role": "tablist", "aria-label": label},
        ),
        solara.Row(gap="4px", style={"flex-wrap": "wrap"}),
    ):
        for key, text in options.items():
            picked = key == chosen.value
            solara.Button(
                text,
                on_click=lambda key=key: chosen.set(key),
                outlined=not picked,
                color="primary",
                attributes={"role": "tab", "aria-selected": "true" if picked else "false"},
            )
