"""The organisation as a picture: who shares, who lapsed, who never did, grouped by team.

The layout is computed once per organisation from its structure, never by a
spring layout: teams sit on a grid, each department a block of neighbouring
teams, and a team's members sit round their manager on a sunflower spiral. It
takes a few milliseconds even for a million employees, so a reset never waits
for it, and the picture keeps its shape from week to week so that change in
colour is all the eye has to follow.

Small organisations (up to ``PERSON_LIMIT`` employees) get one dot per person
and a line from each to their manager. Larger ones get one cell per team,
coloured by the share of the team that is active, drawn as an image so that
the cost does not grow with the number of teams.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection

from sim.arrays import starts
from sim.dashboard.live import LiveChart, LiveFigure, figure
from sim.organisation import MANAGER
from sim.plot import ACTIVE, LAPSED, NEVER
from sim.state import NEVER as NEVER_SHARED

#: Above this many employees the view shows teams, not people.
PERSON_LIMIT = 2000
#: Statuses as small integers, in legend order.
STATUS_NAMES = ("active", "lapsed", "never shared")
STATUS_COLOURS = np.array([ACTIVE, LAPSED, NEVER])
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_SERIALS = itertools.count(1)


def statuses(model) -> np.ndarray:
    """0 active, 1 lapsed, 2 never shared, per employee, counted as the weekly outputs count them."""
    last = model.state.last_shared
    ever = last != NEVER_SHARED
    active = ever & (model.week - last < model.params.behaviour.active_window)
    return np.where(active, 0, np.where(ever, 1, 2)).astype(np.int8)


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

    @property
    def per_person(self) -> bool:
        return self.xy is not None

    def matches(self, org) -> bool:
        """Still valid for ``org`` (nobody moved team since it was computed)?"""
        return len(self.team_snapshot) == org.n and np.array_equal(self.team_snapshot, org.team)

    def nearest(self, x: float, y: float, org) -> int | None:
        """The employee drawn nearest to data point (x, y); in the team view, the manager of the team there."""
        if self.xy is not None:
            d = (self.xy[:, 0] - x) ** 2 + (self.xy[:, 1] - y) ** 2
            best = int(np.argmin(d))
            return best if d[best] < 1.0 else None
        column, row = math.floor(x), math.floor(y)
        hit = np.flatnonzero((self.team_cell[:, 0] == column) & (self.team_cell[:, 1] == row))
        return int(org.team_manager[hit[0]]) if len(hit) else None


def _shelves(counts: np.ndarray, width: int, block_aspect: float = 1.5) -> list[tuple[int, int, int, int, int]]:
    """Department blocks (department, x, y, columns, rows) packed on shelves of ``width`` cells, left to right."""
    blocks = []
    x = y = shelf = 0
    for department, count in enumerate(counts.tolist()):
        if count == 0:
            continue
        cols = max(1, min(width, math.ceil(math.sqrt(count * block_aspect))))
        rows = -(-count // cols)
        if x > 0 and x + cols > width:
            x, y, shelf = 0, y + shelf + 1, 0
        blocks.append((department, x, y, cols, rows))
        x += cols + 1
        shelf = max(shelf, rows)
    return blocks


def _extent(blocks) -> tuple[int, int]:
    return max(x + cols for _, x, _, cols, _ in blocks), max(y + rows for _, _, y, _, rows in blocks)


def _pack(departments: np.ndarray, aspect: float) -> tuple[np.ndarray, int, int, list]:
    """Teams on a grid, each department a block, with the shelf width that makes the grid's shape
    closest to the picture's (so that cells come out square)."""
    counts = np.bincount(departments)
    guess = max(1, round(math.sqrt(len(departments) * aspect)))
    candidates = sorted({max(1, int(guess * f)) for f in np.geomspace(0.5, 2.0, 25)} | {guess})

    def misfit(width: int) -> float:
        columns, rows = _extent(_shelves(counts, width))
        return abs(math.log(columns / rows / aspect)) + 0.05 * columns * rows / len(departments)

    blocks = _shelves(counts, min(candidates, key=misfit))
    cell = np.zeros((len(departments), 2), dtype=np.int64)
    first = starts(counts)
    by_department = np.argsort(departments, kind="stable")
    for department, x, y, cols, _ in blocks:
        order = np.arange(counts[department])
        teams = by_department[first[department] + order]
        cell[teams, 0] = x + order % cols
        cell[teams, 1] = y + order // cols
    columns, rows = _extent(blocks)
    boxes = [(department, x, y, x + cols, y + rows) for department, x, y, cols, rows in blocks]
    return cell, columns, rows, boxes


def compute_layout(org, aspect: float = 2.3) -> Layout:
    """Grid cells for teams, and for a small organisation a position for everyone.

    ``aspect`` is the width over the height of the picture the grid is drawn in.
    """
    cell, columns, rows, boxes = _pack(org.team_department, aspect)
    xy = None
    if org.n <= PERSON_LIMIT:
        # Rank within team, the manager first so that they sit at the centre.
        is_head = np.zeros(org.n, dtype=bool)
        is_head[org.team_manager] = org.team[org.team_manager] == np.arange(org.n_teams)
        order = np.lexsort((np.arange(org.n), ~is_head, org.team))
        rank = np.empty(org.n, dtype=np.int64)
        rank[order] = np.arange(org.n) - org.team_start[org.team[order]]
        size = org.team_size[org.team]
        radius = 0.42 * np.sqrt((rank + 0.5) / size)
        radius[rank == 0] = 0.0
        angle = rank * _GOLDEN_ANGLE
        centre = cell[org.team] + 0.5
        xy = np.column_stack((centre[:, 0] + radius * np.cos(angle), centre[:, 1] + radius * np.sin(angle)))
    return Layout(cell, columns, rows, boxes, xy, org.team.copy())


#: Layouts already computed, by organisation (structure parameters and seed): a reset or a new
#: culture on the same organisation reuses its layout.
_LAYOUTS: dict[tuple, Layout] = {}


def layout_for(model) -> Layout:
    """The layout of this model's organisation, computed at most once per organisation and structure."""
    key = (model.params.organisation.model_dump_json(), model.seed)
    layout = _LAYOUTS.get(key)
    if layout is None or not layout.matches(model.org):
        layout = compute_layout(model.org)
        if len(_LAYOUTS) > 16:
            _LAYOUTS.pop(next(iter(_LAYOUTS)))
        _LAYOUTS[key] = layout
    return layout


class NetworkChart(LiveChart):
    """The network of one run: the static picture drawn once, colours and the selection redrawn each week."""

    #: Axes rectangle in figure fractions; fixed so that a click maps to data coordinates without the figure.
    AXES = (0.01, 0.01, 0.98, 0.84)

    def __init__(self, model, layout: Layout, width: float = 9.0, height: float = 4.6, font: float = 10.0):
        org = model.org
        self.layout = layout
        fig = figure(width, height, constrained=False)
        ax = fig.add_axes(self.AXES)
        ax.set_axis_off()
        margin = 0.3
        self.limits = (-margin, layout.columns + margin, layout.rows + margin, -margin - 0.5)
        ax.set_xlim(self.limits[0], self.limits[1])
        ax.set_ylim(self.limits[2], self.limits[3])
        for department, x0, y0, x1, y1 in layout.department_box:
            ax.add_patch(_box(x0, y0, x1, y1))
            if len(layout.department_box) <= 60:
                ax.text(
                    x0 - 0.05,
                    y0 - 0.12,
                    f"department {department}",
                    fontsize=font * 0.75,
                    color="#444444",
                    va="bottom",
                    ha="left",
                )
        self.title = fig.text(0.01, 0.985, " ", fontsize=font, va="top", ha="left")
        changing: list[Any] = [self.title]
        xy = layout.xy
        if xy is not None:  # one dot per person
            up = org.manager_of
            same_team = (up >= 0) & (org.team[np.maximum(up, 0)] == org.team)
            segments = list(np.stack((xy[same_team], xy[up[same_team]]), axis=1))  # one (2, 2) array a line
            ax.add_collection(LineCollection(segments, colors="#999999", linewidths=0.4, alpha=0.6, zorder=1))
            size = float(np.clip(9000 / org.n, 6, 60))
            self.managers = org.level >= MANAGER
            self.dots = []
            for mask, marker, scale in ((~self.managers, "o", 1.0), (self.managers, "s", 1.6)):
                dots = ax.scatter(
                    xy[mask, 0],
                    xy[mask, 1],
                    s=size * scale,
                    c=[NEVER] * int(mask.sum()),
                    marker=marker,
                    linewidths=0.3,
                    edgecolors="#333333",
                    zorder=2,
                )
                self.dots.append((mask, dots))
                changing.append(dots)
            handles = [
                ax.scatter([], [], s=70, c=colour, edgecolors="#333333", linewidths=0.3, label=name)
                for name, colour in zip(STATUS_NAMES, STATUS_COLOURS)
            ]
            handles.append(
                ax.scatter(
                    [], [], s=70, c="#FFFFFF", marker="s", edgecolors="#333333", label="manager (team round them)"
                )
            )
            fig.legend(
                handles=handles,
                loc="upper left",
                bbox_to_anchor=(0.01, 0.935),
                ncols=4,
                frameon=False,
                fontsize=font * 0.9,
                handletextpad=0.2,
                columnspacing=1.2,
            )
            self.ring = ax.scatter(
                [np.nan], [np.nan], s=320, facecolors="none", edgecolors="#000000", linewidths=2.2, zorder=5
            )
            changing.append(self.ring)
        else:
            self.grid = np.full((layout.rows, layout.columns), np.nan)
            self.image = ax.imshow(
                self.grid,
                cmap="cividis",
                vmin=0,
                vmax=100,
                interpolation="nearest",
                extent=(0, layout.columns, layout.rows, 0),
                zorder=1,
                aspect="auto",
            )
            # The colour bar gets its own axes so that the network axes keep the rectangle clicks map through.
            bar = fig.colorbar(self.image, cax=fig.add_axes((0.02, 0.885, 0.35, 0.025)), orientation="horizontal")
            bar.set_label(
                "Share of the team active (%)  (one cell per team; light = most active)", fontsize=font * 0.85
            )
            bar.ax.tick_params(labelsize=font * 0.8)
            changing.append(self.image)
        self.live = LiveFigure(fig, changing)

    def update(self, model, selected: int | None = None) -> NetworkChart:
        org = model.org
        status = statuses(model)
        counts = np.bincount(status, minlength=3)
        xy = self.layout.xy
        if xy is not None:
            for mask, dots in self.dots:
                dots.set_facecolor(STATUS_COLOURS[status[mask]])
            point = xy[selected] if selected is not None and 0 <= selected < org.n else (np.nan, np.nan)
            self.ring.set_offsets([point])
            self.title.set_text(
                f"Who shares, week {model.week}: {counts[0]:,} active, {counts[1]:,} lapsed, "
                f"{counts[2]:,} never shared. Click someone to see why."
            )
        else:
            active = np.bincount(org.team, weights=(status == 0), minlength=org.n_teams)
            self.grid[self.layout.team_cell[:, 1], self.layout.team_cell[:, 0]] = (
                100 * active / np.maximum(org.team_size, 1)
            )
            self.image.set_data(self.grid)
            self.title.set_text(
                f"Who shares, week {model.week}: {counts[0]:,} of {org.n:,} employees active, "
                f"{org.n_teams:,} teams. Click a team to see its manager."
            )
        return self

    def pick(self, org, fx: float, fy: float) -> int | None:
        """The employee under a click at figure fraction (fx from the left, fy from the top)."""
        left, bottom, width, height = self.AXES
        x0, x1, y0, y1 = self.limits
        x = x0 + (fx - left) / width * (x1 - x0)
        y = y0 + ((1 - fy) - bottom) / height * (y1 - y0)
        return self.layout.nearest(x, y, org)


def _box(x0, y0, x1, y1):
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x0 - 0.1, y0 - 0.1),
        x1 - x0 + 0.2,
        y1 - y0 + 0.2,
        facecolor="#F4F4F4",
        edgecolor="#CCCCCC",
        linewidth=0.8,
        zorder=0,
    )
