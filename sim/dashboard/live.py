"""Redraw only what changed: the technique that makes a playing chart cost milliseconds, not a full redraw.

A matplotlib figure spends most of its drawing time on what does not change
from week to week: axes, ticks, labels, shaded windows, legends. ``LiveFigure``
draws all of that once, keeps the pixels, and for each new week restores them
and draws only the artists marked as changing (lines, dots, a title), then
encodes the result. This is matplotlib's blitting, done on the Agg canvas
(``copy_from_bbox`` / ``restore_region``), with no GUI involved.

When something static must change (a y-axis that has to grow, a different
scenario) the owner builds a new figure; keys in ``ChartCache`` decide that.

Every chart's figure is made by ``figure`` (its size in inches at ``SCREEN_DPI``)
and turned into bytes here: a live frame by ``LiveFigure.render``, a download by
``png``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Hashable
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

#: Live frames are JPEG: encoding one takes about 2 ms where PNG takes 10, and at this quality, with
#: full-resolution colour (no chroma subsampling), lines and text stay sharp. Downloads are PNG.
FRAME_FORMAT: dict[str, Any] = {"format": "JPEG", "quality": 92, "subsampling": 0}
FRAME_MIME = "image/jpeg"
#: Figures are sized in inches at this resolution: the size of a live frame in pixels is 100 times the size in inches.
SCREEN_DPI = 100


def figure(width: float, height: float, constrained: bool = True) -> Figure:
    """A chart's figure, ``width`` by ``height`` inches at ``SCREEN_DPI``; laid out by matplotlib
    (``constrained``) or, where the chart places its axes itself, not."""
    return Figure(figsize=(width, height), dpi=SCREEN_DPI, layout="constrained" if constrained else None)


def encode(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as a live frame (see ``FRAME_FORMAT``)."""
    buffer = canvas.buffer_rgba()
    image = Image.frombuffer("RGBA", (buffer.shape[1], buffer.shape[0]), buffer, "raw", "RGBA", 0, 1).convert("RGB")
    out = io.BytesIO()
    image.save(out, **FRAME_FORMAT)
    return out.getvalue()


def png(fig: Figure, dpi: int) -> bytes:
    """The whole figure drawn the ordinary way as a PNG at ``dpi``."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def data_url(picture: bytes, mime: str = FRAME_MIME) -> str:
    """Picture bytes as a ``data:`` URL, which an ``<img>`` shows with no request to any server."""
    return f"data:{mime};base64," + base64.b64encode(picture).decode("ascii")


class LiveFigure:
    """A figure whose static part is drawn once; ``render()`` redraws only the changing artists."""

    def __init__(self, fig: Figure, changing: list[Any]):
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.changing = list(changing)
        for artist in self.changing:
            artist.set_animated(True)
        self._background = None

    def add(self, artist: Any) -> None:
        artist.set_animated(True)
        self.changing.append(artist)

    def render(self) -> bytes:
        """This frame: the kept background, the changing artists drawn on it, encoded."""
        if self._background is None:
            self.canvas.draw()  # everything not animated, and the layout
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self.changing:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return encode(self.canvas)

    def full(self, dpi: int = 200) -> bytes:
        """Everything drawn the ordinary way at ``dpi``: the picture to paste into a slide."""
        for artist in self.changing:
            artist.set_animated(False)
        try:
            return png(self.fig, dpi)
        finally:
            for artist in self.changing:
                artist.set_animated(True)
            self._background = None


class LiveChart:
    """A chart drawn on a ``LiveFigure`` (``self.live``): a live frame of it, or the picture to download."""

    live: LiveFigure

    def frame(self) -> bytes:
        """This week, redrawn from the kept background (see ``LiveFigure.render``)."""
        return self.live.render()

    def png(self, dpi: int) -> bytes:
        """All of it drawn afresh as a PNG at ``dpi`` (see ``LiveFigure.full``)."""
        return self.live.full(dpi)


class ChartCache:
    """One live chart per slot (sharing, network, ...), rebuilt only when its key changes."""

    def __init__(self):
        self._slots: dict[str, tuple[Hashable, Any]] = {}

    def get(self, slot: str, key: Hashable, build: Callable[[], Any]) -> Any:
        held = self._slots.get(slot)
        if held is None or held[0] != key:
            held = (key, build())
            self._slots[slot] = held
        return held[1]

    def clear(self) -> None:
        self._slots.clear()
