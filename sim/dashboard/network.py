"""The organisation as a picture: who shares, who lapsed, who never did, grouped by team.

The layout is computed once per organisation from its structure, never by a
spring layout: teams sit on a grid, each department a block of neighbouring
teams, and a team's members sit round their manager on a sunflower spiral. It
takes a few milliseconds even for a million employees, so a reset never waits
for it, and the picture keeps its shape from week to week so that change in
colour is all the eye has to follow.

Small organisations (up to ``PERSON_LIMIT`` employees) get one dot per person
and a line from each to their manager. Larger ones get one cell per team,
coloured by the share of the team that is active, drawn as one mesh that Agg
fills in a single call.

The chart places everything itself, in pixels, rather than leaving it to
matplotlib's layout: the header (title, then the legend or the colour bar) has
the height its type needs, and the picture below keeps square cells. Knowing
the pixel scale is what lets a click select someone only when it lands on
their dot.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba_array
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from sim.arrays import starts
from sim.dashboard.live import SCREEN_DPI, LiveChart, LiveFigure, figure
from sim.organisation import MANAGER
from sim.plot import ACTIVE, LAPSED, NEVER
from sim.state import NEVER as NEVER_SHARED

#: Above this many employees the view shows teams, not people.
PERSON_LIMIT = 2000
#: Statuses as small integers, in legend order.
STATUS_NAMES = ("active", "lapsed", "never shared")
STATUS_COLOURS = np.array([ACTIVE, LAPSED, NEVER])
#: The same as RGBA floats: matplotlib converts an array of colour names one name at a time, every week.
_STATUS_RGBA = to_rgba_array(STATUS_COLOURS)
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_SERIALS = itertools.count(1)

#: Width and height (inches at 100 dpi, so hundreds of pixels) and font (points) of the chart in a
#: panel beside the sharing chart (about 600 px wide), and in demonstration mode, where it is shown
#: about 980 by 450 px on a 1024 by 768 projector and its smallest type (``SMALL`` of the font,
#: 13.2 pt) is 18 px tall.
Size = tuple[float, float, float]
NORMAL_SIZE: Size = (6.0, 3.9, 10.0)
DEMO_SIZE: Size = (9.8, 4.5, 15.5)
#: Legend, colour bar and department labels are this fraction of the title's size.
SMALL = 0.85
#: Pixels per point at the screen resolution.
_PX = SCREEN_DPI / 72
#: Pixels between the figure's edge and anything drawn.
_EDGE = 6
#: Department labels are drawn only up to this many departments; beyond, they would be a blur.
_LABELLED_DEPARTMENTS = 60
#: Extra reach of a click, in pixels, beyond the edge of a dot.
_CLICK_SLACK = 4
#: Radius, in cells, of the disc a team's members are spread over round their manager.
_TEAM_RADIUS = 0.45


def network_size(style) -> Size:
    """(width, height, font) to draw the network at in ``style``: demonstration mode is the style that annotates."""
    return DEMO_SIZE if getattr(style, "annotate", False) else NORMAL_SIZE


def statuses(model) -> np.ndarray:
    """0 active, 1 lapsed, 2 never shared, per employee, counted as the weekly outputs count them."""
    last = model.state.last_shared
    ever = last != NEVER_SHARED
    active = ever & (model.week - last < model.params.behaviour.active_window)
    return np.where(active, 0, np.where(ever, 1, 2)).astype(np.int8)


def alt_text(model) -> str:
    """The picture in one sentence, with this week's figures, for a reader who cannot see it."""
    org = model.org
    counts = np.bincount(statuses(model), minlength=3)
    drawn = "one dot per person" if org.n <= PERSON_LIMIT else "one cell per team, shaded by the share active"
    return (
        f"Network of {org.n:,} employees in {org.n_teams:,} teams ({drawn}), week {model.week}: "
        f"{counts[0]:,} active, {counts[1]:,} lapsed, {counts[2]:,} never shared."
    )


def _header(font: float, team_view: bool) -> tuple[float, float, float, float]:
    """Heights in pixels of the header's parts (pad, title line, legend or colour-bar row) and of the whole."""
    pad = 0.35 * font * _PX
    title = 1.2 * font * _PX
    small = SMALL * font * _PX
    row = 0.8 * small + 1.3 * small if team_view else 1.4 * small  # bar and its tick labels, or legend
    return pad, title, row, pad + title + pad + row + pad


def _plot_area(width: float, height: float, font: float, team_view: bool) -> tuple[float, float]:
    """Pixels left for the picture under the header."""
    return width * SCREEN_DPI - 2 * _EDGE, height * SCREEN_DPI - _header(font, team_view)[3] - _EDGE


@dataclass
class Layout:
    """Where each team and each employee is drawn; depends on the structure only."""

    team_cell: np.ndarray  # (teams, 2) int column and row of each team's cell
    columns: int
    rows: int
    department_box: list[tuple[int, float, float, float, float]]  # department, x0, y0, x1, y1
    xy: np.ndarray | None  # (n, 2) float positions of employees, None for a team-level view
    team_snapshot: np.ndarray  # org.team when computed; a restructuring changes it
    serial: int = field(default_factory=lambda: next(_SERIALS))  # identifies it for the chart cache
    band: int = 1  # rows left free above each shelf of departments, for their labels

    @property
    def per_person(self) -> bool:
        return self.xy is not None

    def matches(self, org) -> bool:
        """Still valid for ``org`` (nobody moved team since it was computed)?"""
        return len(self.team_snapshot) == org.n and np.array_equal(self.team_snapshot, org.team)

    def nearest(self, x: float, y: float, org, reach: float | np.ndarray = 0.1) -> int | None:
        """The employee whose dot is at data point (x, y), within ``reach`` data units of its centre (one
        reach for all, or one each); in the team view, the manager of the team whose cell is there.

        A click in empty space selects nobody: a miss that selected whoever was nearest would look like
        the chart had chosen for the user."""
        if self.xy is not None:
            d = (self.xy[:, 0] - x) ** 2 + (self.xy[:, 1] - y) ** 2
            best = int(np.argmin(d))
            limit = float(np.broadcast_to(reach, (len(self.xy),))[best])
            return best if d[best] <= limit**2 else None
        column, row = math.floor(x), math.floor(y)
        hit = np.flatnonzero((self.team_cell[:, 0] == column) & (self.team_cell[:, 1] == row))
        return int(org.team_manager[hit[0]]) if len(hit) else None


def _shelves(
    counts: np.ndarray, width: int, band: int = 1, block_aspect: float = 1.5
) -> list[tuple[int, int, int, int, int]]:
    """Department blocks (department, x, y, columns, rows) packed on shelves of ``width`` cells, left to
    right, with ``band`` free rows above each shelf for the departments' labels."""
    blocks = []
    x, y, shelf = 0, band, 0
    for department, count in enumerate(counts.tolist()):
        if count == 0:
            continue
        cols = max(1, min(width, math.ceil(math.sqrt(count * block_aspect))))
        rows = -(-count // cols)
        if x > 0 and x + cols > width:
            x, y, shelf = 0, y + shelf + band, 0
        blocks.append((department, x, y, cols, rows))
        x += cols + 1
        shelf = max(shelf, rows)
    return blocks


def _extent(blocks) -> tuple[int, int]:
    return max(x + cols for _, x, _, cols, _ in blocks), max(y + rows for _, _, y, _, rows in blocks)


def _cell(columns: int, rows: int, team_view: bool, size: Size) -> float:
    """Pixels a cell gets when the grid is drawn in a chart of ``size``."""
    area_w, area_h = _plot_area(*size, team_view)
    return min(area_w / (columns + 0.3), area_h / (rows + 0.3))


def _pack(departments: np.ndarray, team_view: bool, size: Size) -> tuple[np.ndarray, int, int, list, int]:
    """Teams on a grid, each department a block, packed so that cells come out as large as they can in
    a chart of ``size``, with label bands as deep as the labels need at the cell size that results: many
    small cells need a band several cells deep."""
    counts = np.bincount(departments)
    teams = len(departments)
    labelled = np.count_nonzero(counts) <= _LABELLED_DEPARTMENTS
    guess = max(1, round(math.sqrt(teams * 2.3)))
    widths = sorted({max(1, int(guess * f)) for f in np.geomspace(0.4, 2.5, 30)} | {guess})
    shapes = [(width, aspect) for width in widths for aspect in (1.0, 1.5, 2.2, 3.2)]

    def misfit(shape: tuple[int, float], band: int) -> float:
        columns, rows = _extent(_shelves(counts, shape[0], band, shape[1]))
        return -_cell(columns, rows, team_view, size)

    band = 1
    while True:
        width, aspect = min(shapes, key=lambda shape: misfit(shape, band))
        blocks = _shelves(counts, width, band, aspect)
        columns, rows = _extent(blocks)
        label = 1.25 * SMALL * size[2] * _PX
        if not labelled or band >= 12 or (band - 0.15) * _cell(columns, rows, team_view, size) >= label:
            break
        band += 1
    cell = np.zeros((teams, 2), dtype=np.int64)
    first = starts(counts)
    by_department = np.argsort(departments, kind="stable")
    for department, x, y, cols, _ in blocks:
        order = np.arange(counts[department])
        members = by_department[first[department] + order]
        cell[members, 0] = x + order % cols
        cell[members, 1] = y + order // cols
    boxes = [(department, x, y, x + cols, y + rows) for department, x, y, cols, rows in blocks]
    return cell, columns, rows, boxes, band


def compute_layout(org, size: Size = NORMAL_SIZE) -> Layout:
    """Grid cells for teams, and for a small organisation a position for everyone, for a chart of ``size``
    (width, height, font: see ``network_size``)."""
    cell, columns, rows, boxes, band = _pack(org.team_department, org.n > PERSON_LIMIT, size)
    xy = None
    if org.n <= PERSON_LIMIT:
        # Rank within team, the manager first so that they sit at the centre.
        is_head = np.zeros(org.n, dtype=bool)
        is_head[org.team_manager] = org.team[org.team_manager] == np.arange(org.n_teams)
        order = np.lexsort((np.arange(org.n), ~is_head, org.team))
        rank = np.empty(org.n, dtype=np.int64)
        rank[order] = np.arange(org.n) - org.team_start[org.team[order]]
        size = org.team_size[org.team]
        radius = _TEAM_RADIUS * np.sqrt((rank + 0.5) / size)
        radius[rank == 0] = 0.0
        angle = rank * _GOLDEN_ANGLE
        centre = cell[org.team] + 0.5
        xy = np.column_stack((centre[:, 0] + radius * np.cos(angle), centre[:, 1] + radius * np.sin(angle)))
    return Layout(cell, columns, rows, boxes, xy, org.team.copy(), band=band)


#: Layouts already computed, by organisation (structure parameters and seed): a reset or a new
#: culture on the same organisation reuses its layout.
_LAYOUTS: dict[tuple, Layout] = {}


def layout_for(model, size: Size = NORMAL_SIZE) -> Layout:
    """The layout of this model's organisation for a chart of ``size``, computed at most once per
    organisation, structure and size."""
    key = (model.params.organisation.model_dump_json(), model.seed, tuple(size))
    layout = _LAYOUTS.get(key)
    if layout is None or not layout.matches(model.org):
        layout = compute_layout(model.org, size)
        if len(_LAYOUTS) > 16:
            _LAYOUTS.pop(next(iter(_LAYOUTS)))
        _LAYOUTS[key] = layout
    return layout


#: The longest department or team name shown whole: longer ones are cut, with an ellipsis.
MAX_NAME = 40


def department_label(names: list[str] | None, department: int) -> str:
    """A department as the picture names it: its name from the chart (cut short if very long), or its number."""
    return _short(names[department]) if names is not None else f"department {department}"


def team_label(org, team: int) -> str:
    """A team as the picture and its text name it: 'team Payments 2' from a chart, 'team 12' otherwise."""
    return f"team {_short(org.team_names[team]) if org.team_names is not None else team}"


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"


def names_text(org, selected: int | None = None) -> str:
    """What the picture names, for its alt text: the departments, as their blocks are labelled, if they have
    names (numbered blocks say nothing a reader needs) and are few enough to be labelled; and in the team view,
    the team framed for the ``selected`` employee, by name."""
    names = org.department_names
    text = ""
    if names is not None and len(names) <= _LABELLED_DEPARTMENTS:
        text = f" Blocks by department: {', '.join(department_label(names, d) for d in range(len(names)))}."
    if org.n > PERSON_LIMIT and selected is not None and 0 <= selected < org.n:
        team = _team_shown(org, selected)
        department = department_label(names, int(org.team_department[team]))
        text += f" Framed: {team_label(org, team)}, in {department}, for employee {selected}."
    return text


def _team_shown(org, employee: int) -> int:
    """The team to frame for ``employee``: the one a click selected them by, the team they lead, if they
    lead one but belong to another; their own otherwise."""
    own = int(org.team[employee])
    if org.team_manager[own] == employee:
        return own
    led = np.flatnonzero(org.team_manager == employee)
    return int(led[0]) if len(led) else own


class NetworkChart(LiveChart):
    """The network of one run: the static picture drawn once, colours and the selection redrawn each week."""

    def __init__(
        self,
        model,
        layout: Layout,
        width: float = NORMAL_SIZE[0],
        height: float = NORMAL_SIZE[1],
        font: float = NORMAL_SIZE[2],
    ):
        org = model.org
        self.layout = layout
        self.font = font
        fig = figure(width, height, constrained=False)
        self._renderer = FigureCanvasAgg(fig).get_renderer()  # to measure text; LiveFigure draws
        small = SMALL * font
        pad, title_px, row_px, header_px = _header(font, not layout.per_person)
        fig_w, fig_h = width * SCREEN_DPI, height * SCREEN_DPI

        # The picture: square cells, as large as the area under the header allows, centred across.
        area_w, area_h = _plot_area(width, height, font, not layout.per_person)
        margin = 0.15  # cells, so that the departments' boxes are not cut at the edge
        # The band above the first shelf is whole rows, far more than its labels need when cells are large
        # and a little less when they are small: the picture starts a few pixels above the first labels.
        label = 1.25 * small * _PX + 6 if len(layout.department_box) <= _LABELLED_DEPARTMENTS else 3
        first = -margin
        span_x = layout.columns + 2 * margin
        for _ in range(4):  # the scale depends on the top and the top, in cells, on the scale
            self.scale = min(area_w / span_x, area_h / (layout.rows + margin - first))  # pixels per cell
            first = layout.band - 0.15 - label / self.scale
        span_y = layout.rows + margin - first
        self.scale = min(area_w / span_x, area_h / span_y)
        axes_w, axes_h = span_x * self.scale, span_y * self.scale
        left = self._left = (fig_w - axes_w) / 2
        #: Axes rectangle in figure fractions, and the data limits (x0, x1, y at the bottom, y at the top):
        #: a click maps through them to the layout's coordinates without drawing the figure.
        self.AXES = (left / fig_w, 1 - (header_px + axes_h) / fig_h, axes_w / fig_w, axes_h / fig_h)
        self.limits = (-margin, layout.columns + margin, layout.rows + margin, first)
        ax = fig.add_axes(self.AXES)
        ax.set_axis_off()
        ax.set_xlim(self.limits[0], self.limits[1])
        ax.set_ylim(self.limits[2], self.limits[3])
        self._department_boxes(ax, layout, small, fig_w, org.department_names)

        self.title = fig.text(_EDGE / fig_w, 1 - pad / fig_h, " ", fontsize=font, va="top", ha="left")
        changing: list[Any] = [self.title]
        row_mid = 1 - (pad + title_px + pad + row_px / 2) / fig_h
        if layout.per_person:
            changing += self._people(fig, ax, org, small, row_mid)
            hint = "Click someone to see why."
        else:
            changing += self._teams(fig, ax, layout, small, pad + title_px + pad)
            row_mid = 1 - (pad + title_px + pad + 0.4 * small * _PX) / fig_h  # level with the colour bar
            hint = "Click a team to see its manager."
        # The hint sits at the right of the legend's row when it fits there; it is left out of downloads.
        self.hint = fig.text(1 - _EDGE / fig_w, row_mid, hint, fontsize=small, color="#555555", va="center", ha="right")
        if self._width(hint, small) > fig_w - 2 * _EDGE - self._row_used - 3 * small * _PX:
            self.hint.set_visible(False)
        self.live = LiveFigure(fig, changing)

    # ------------------------------------------------------------ building
    def _width(self, text: str, size: float) -> float:
        """Pixels that ``text`` takes at ``size`` points."""
        w, _, _ = self._renderer.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
        return w

    def _department_boxes(self, ax, layout: Layout, small: float, width: float, names: list[str] | None) -> None:
        """A grey box behind each department and, if there are not too many, its name above it.

        A generated organisation's departments are numbered: "department 3" if every label fits above its
        block, else "dept 3", else "3"; one form for all, so that the eye reads them as one series. A chart's
        departments have names: each in full if it fits, else cut short with an ellipsis to the room it has
        (``department_label``)."""
        for _, x0, y0, x1, y1 in layout.department_box:
            ax.add_patch(
                Rectangle(
                    (x0 - 0.1, y0 - 0.1),
                    x1 - x0 + 0.2,
                    y1 - y0 + 0.2,
                    facecolor="#F2F2F2",
                    edgecolor="#C8C8C8",
                    linewidth=0.8,
                    zorder=0,
                )
            )
        self.department_labels: list[str] = []
        if len(layout.department_box) > _LABELLED_DEPARTMENTS:
            return
        rooms = []
        for _, x0, y0, x1, _ in layout.department_box:
            # To the next block's label less a space, and for the last block of a shelf, to the edge.
            start = self._left + (x0 - 0.1 - self.limits[0]) * self.scale
            last = not any(y == y0 and x > x0 for _, x, y, _, _ in layout.department_box)
            to_next = math.inf if last else (x1 - x0 + 1) * self.scale - 0.6 * small * _PX
            rooms.append(min(to_next, width - _EDGE / 2 - start))
        if names is not None:
            labels = [
                self._fitted(department_label(names, box[0]), room, small)
                for box, room in zip(layout.department_box, rooms)
            ]
        else:
            forms = ("department {}", "dept {}", "{}")
            form = next(
                (
                    f
                    for f in forms
                    if all(
                        self._width(f.format(box[0]), small) <= room for box, room in zip(layout.department_box, rooms)
                    )
                ),
                forms[-1],
            )
            labels = [form.format(box[0]) for box in layout.department_box]
        for label, (_, x0, y0, _, _) in zip(labels, layout.department_box):
            ax.text(x0 - 0.1, y0 - 0.15, label, fontsize=small, color="#333333", va="bottom", ha="left")
        self.department_labels = labels

    def _fitted(self, text: str, room: float, size: float) -> str:
        """``text``, or as much of it as fits in ``room`` pixels followed by an ellipsis (at least its first
        three characters, so that a cut name is still recognisable)."""
        if self._width(text, size) <= room:
            return text
        cut = len(text) - 1
        while cut > 3 and self._width(text[:cut].rstrip() + "…", size) > room:
            cut -= 1
        return text[:cut].rstrip() + "…"

    def _people(self, fig, ax, org, small: float, row_mid: float) -> list[Any]:
        """Dots, lines to managers and the legend; returns the artists that change each week."""
        xy = self.layout.xy
        assert xy is not None
        # Dots as large as the spacing of the largest team allows, but never smaller than readable.
        spacing = math.sqrt(math.pi * _TEAM_RADIUS**2 / max(1, int(np.max(org.team_size)))) * self.scale
        least = 0.47 * self.font * _PX  # 6.5 px at the normal size, 10 px in demonstration mode
        self.dot = float(np.clip(0.8 * spacing, least, 2.2 * least))  # diameter, pixels
        up = org.manager_of
        same_team = (up >= 0) & (org.team[np.maximum(up, 0)] == org.team)
        segments = np.stack((xy[same_team], xy[up[same_team]]), axis=1)
        ax.add_collection(
            LineCollection(list(segments), colors="#8C8C8C", linewidths=0.06 * self.dot, alpha=0.7, zorder=1)
        )
        self.managers = org.level >= MANAGER
        self.radius = np.where(self.managers, 0.58, 0.5) * self.dot  # pixels, managers' squares being larger
        self.dots = []
        changing: list[Any] = []
        for mask, marker, scale in ((~self.managers, "o", 1.0), (self.managers, "s", 1.15)):
            dots = ax.scatter(
                xy[mask, 0],
                xy[mask, 1],
                s=(scale * self.dot / _PX) ** 2,
                c=np.repeat(_STATUS_RGBA[2:], int(mask.sum()), axis=0),
                marker=marker,
                linewidths=0.4,
                edgecolors="#333333",
                zorder=2,
            )
            self.dots.append((mask, dots))
            changing.append(dots)
        shown = float(np.clip(self.dot, 0.6 * small * _PX, 0.8 * small * _PX)) / _PX  # legend's dots, points
        handles = [
            Line2D([], [], ls="", marker="o", ms=shown, mfc=colour, mec="#333333", mew=0.4, label=name)
            for name, colour in zip(STATUS_NAMES, STATUS_COLOURS)
        ]
        handles.append(Line2D([], [], ls="", marker="s", ms=shown, mfc="#FFFFFF", mec="#333333", label="manager"))
        legend = fig.legend(
            handles=handles,
            loc="center left",
            bbox_to_anchor=(_EDGE / (fig.bbox.width), row_mid),
            ncols=4,
            frameon=False,
            fontsize=small,
            borderpad=0,
            borderaxespad=0,
            handlelength=0.9,
            handletextpad=0.35,
            columnspacing=1.1,
        )
        self._row_used = legend.get_window_extent(self._renderer).width
        self.ring = ax.scatter(
            [np.nan],
            [np.nan],
            s=(2.3 * self.dot / _PX) ** 2,
            facecolors="none",
            edgecolors="#000000",
            linewidths=max(1.8, 0.22 * self.dot),
            zorder=5,
        )
        changing.append(self.ring)
        return changing

    def _teams(self, fig, ax, layout: Layout, small: float, bar_top: float) -> list[Any]:
        """The mesh of teams and its colour bar ``bar_top`` pixels down; returns the artists that change each week."""
        fig_w, fig_h = fig.bbox.width, fig.bbox.height
        self.grid = np.full((layout.rows, layout.columns), np.nan)
        # A mesh of cells, not an image: an image is stretched to the picture's pixels and each pixel
        # coloured, 18 ms a week for 2,500 teams in demonstration mode; Agg fills the mesh's cells in 3.
        self.image = ax.pcolormesh(
            np.ma.masked_invalid(self.grid), cmap="cividis", vmin=0, vmax=100, zorder=1, antialiased=False
        )
        # The colour bar gets its own axes in the header, its name to its left and its ticks under it, so
        # that the network's axes keep the rectangle clicks map through.
        label = "Share of each team active:"
        label_w = self._width(label, small)
        bar_h = 0.8 * small * _PX
        bar_left = _EDGE + label_w + 0.8 * small * _PX
        bar_w = min(0.3 * fig_w, 22 * small * _PX)
        fig.text(_EDGE / fig_w, 1 - (bar_top + bar_h / 2) / fig_h, label, fontsize=small, va="center", ha="left")
        cax = fig.add_axes((bar_left / fig_w, 1 - (bar_top + bar_h) / fig_h, bar_w / fig_w, bar_h / fig_h))
        bar = fig.colorbar(self.image, cax=cax, orientation="horizontal", ticks=[0, 25, 50, 75, 100])
        bar.ax.set_xticklabels(["0%", "25%", "50%", "75%", "100%"])
        bar.ax.tick_params(labelsize=small, length=0.25 * bar_h, pad=1)
        bar.outline.set_linewidth(0.6)
        self._row_used = bar_left + bar_w + self._width("100%", small) / 2 - _EDGE
        # The selected employee's team: a black frame with a white one inside, seen on dark and light cells.
        self.frames = [
            Rectangle((np.nan, np.nan), 1, 1, fill=False, edgecolor=colour, linewidth=lw, zorder=5)
            for colour, lw in (("#000000", max(2.5, 0.2 * self.font)), ("#FFFFFF", max(1.0, 0.08 * self.font)))
        ]
        for frame in self.frames:
            ax.add_patch(frame)
        return [self.image, *self.frames]

    # ------------------------------------------------------------ each week
    def update(self, model, selected: int | None = None) -> NetworkChart:
        org = model.org
        status = statuses(model)
        counts = np.bincount(status, minlength=3)
        chosen = selected is not None and 0 <= selected < org.n
        if self.layout.xy is not None:
            for mask, dots in self.dots:
                dots.set_facecolor(_STATUS_RGBA[status[mask]])
            self.ring.set_offsets([self.layout.xy[selected] if chosen else (np.nan, np.nan)])
            self.title.set_text(
                f"Who shares, week {model.week}: {counts[0]:,} active, {counts[1]:,} lapsed, {counts[2]:,} never shared"
            )
        else:
            active = np.bincount(org.team, weights=(status == 0), minlength=org.n_teams)
            self.grid[self.layout.team_cell[:, 1], self.layout.team_cell[:, 0]] = (
                100 * active / np.maximum(org.team_size, 1)
            )
            self.image.set_array(np.ma.masked_invalid(self.grid))  # no team there: not drawn
            # Drawn a little outside the cell, so that the cell's own colour stays in view.
            out = 2.5 / self.scale
            column, row = (
                self.layout.team_cell[_team_shown(org, selected)] if selected is not None and chosen else (np.nan,) * 2
            )
            for frame, grow in zip(self.frames, (out, out * 0.35)):
                frame.set_visible(chosen)  # not drawn at all when nobody is selected
                frame.set_xy((column - grow, row - grow))
                frame.set_width(1 + 2 * grow)
                frame.set_height(1 + 2 * grow)
            self.title.set_text(
                f"Who shares, week {model.week}: {counts[0]:,} of {org.n:,} active in {org.n_teams:,} teams"
            )
        return self

    def png(self, dpi: int) -> bytes:
        """As ``LiveChart.png``, without the hint to click, which means nothing on a slide."""
        shown = self.hint.get_visible()
        self.hint.set_visible(False)
        try:
            return super().png(dpi)
        finally:
            self.hint.set_visible(shown)

    def pick(self, org, fx: float, fy: float) -> int | None:
        """The employee under a click at figure fraction (fx from the left, fy from the top): on their dot
        (within a few pixels of its edge), or in their team's cell; nobody for a click anywhere else."""
        left, bottom, width, height = self.AXES
        x0, x1, y0, y1 = self.limits
        x = x0 + (fx - left) / width * (x1 - x0)
        y = y0 + ((1 - fy) - bottom) / height * (y1 - y0)
        if self.layout.xy is not None:
            return self.layout.nearest(x, y, org, reach=(self.radius + _CLICK_SLACK) / self.scale)
        return self.layout.nearest(x, y, org)
