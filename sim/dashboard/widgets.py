"""Two small browser-side pieces the stock Solara components do not provide.

``ChartImage`` shows a server-rendered chart from a ``data:`` URL (no request
to any server) with alternative text; it reports where it was clicked as
fractions of its width and height, which is how clicking an employee in the
network view works, and which frame it has put on screen, which is how play
keeps pace with a slow browser. ``ScenarioUpload`` is a button that opens the file
picker and sends the chosen scenario file's text to the server; scenario files
are small, so they are read whole in the browser. ``Prose`` shows text with a
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
    event_pick: Callable[[dict], None] | None = None,
    event_drawn: Callable[[int], None] | None = None,
):
    """``frame`` (if >= 0) is reported back through ``event_drawn`` once the picture is on screen."""


@solara.component_vue("upload.vue")
def ScenarioUpload(label: str = "Upload a scenario file", event_upload: Callable[[dict], None] | None = None):
    pass


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
