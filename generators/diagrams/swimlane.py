"""Swimlane placement for flowcharts: a column per lane, a band per phase, a row per step rank.

Graphviz's ``dot`` cannot pin nodes to columns, so flowcharts are laid out in two passes on
cache misses only: Graphviz measures every node from its label, this module places each node
at the centre of its lane column and its row (pinned), and ``neato`` routes the edges around
the fixed nodes. The lane and phase bands are then drawn behind the graph as SVG rectangles.

The logical DOT written by :mod:`.flowchart` carries the grid as node attributes:
``hb_lane`` (column, ``-1`` for the phase-title column), ``hb_row`` (``-1`` for the lane
headers) and ``hb_phase`` (``-1`` outside any phase).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pygraphviz

H_PAD = 6.0  # points between a node and its lane's edge
V_GAP = 26.0  # points between rows, room for an edge label
MIN_LANE = 72.0


@dataclass(frozen=True)
class Band:
    x0: float
    y0: float
    x1: float
    y1: float
    fill: str
    stroke: str


def _pin(x: float, y: float) -> str:
    """A pinned position; Graphviz reads pinned positions in inches."""
    return f"{x / 72:.4f},{y / 72:.4f}!"


def _int(node, name: str) -> int:
    return int(node.attr.get(name) or -1)


# Node sizes by everything that shapes a node (its label, shape, fonts, margins): a print edition lays out
# many parts of one flowchart, and candidate parts while splitting it, all made of the same boxes.
_SIZES: dict[tuple, tuple[float, float]] = {}
_SHAPING = ("label", "shape", "fontname", "fontsize", "margin", "width", "height", "peripheries", "style", "penwidth",
            "fixedsize")


def _node_sizes(graph: pygraphviz.AGraph, dot: str) -> dict[str, tuple[float, float]]:
    """Width and height in points of every node, as Graphviz measures them; each kind of node measured once."""
    keys = {n.name: tuple(n.attr.get(k) or "" for k in _SHAPING) for n in graph.nodes()}
    unknown = {name for name, key in keys.items() if key not in _SIZES}
    if unknown:
        sizing = pygraphviz.AGraph(string=dot)
        sizing.delete_edges_from(sizing.edges())
        sizing.delete_nodes_from([n for n in sizing.nodes() if n.name not in unknown])
        sizing.layout(prog="dot")
        for n in sizing.nodes():
            _SIZES[keys[n.name]] = (float(n.attr["width"]) * 72, float(n.attr["height"]) * 72)
    return {name: _SIZES[key] for name, key in keys.items()}


@lru_cache(maxsize=4096)
def measure(dot: str) -> tuple[float, float]:
    """The size in points of the SVG that :func:`draw` will make of ``dot``, without routing any edge."""
    graph, _ = place(dot)
    x, y = (float(v) * 72 for v in graph.get_node("corner-high").attr["pos"].rstrip("!").split(","))
    pad = float(graph.graph_attr.get("pad") or 0.0555) * 72
    return round(x + 2 * pad), round(y + 2 * pad)


def place(dot: str) -> tuple[pygraphviz.AGraph, list[Band]]:
    """The graph with every node pinned (``pos``), and the bands to draw behind it."""
    graph = pygraphviz.AGraph(string=dot)
    size = _node_sizes(graph, dot)

    nodes = list(graph.nodes())
    lanes = max([_int(n, "hb_lane") for n in nodes] + [-1]) + 1
    rows = max([_int(n, "hb_row") for n in nodes] + [-1]) + 1

    lane_width = [MIN_LANE] * lanes
    title_width = 0.0
    row_height = {r: 0.0 for r in range(-1, rows)}
    for n in nodes:
        w, h = size[n.name]
        lane, row = _int(n, "hb_lane"), _int(n, "hb_row")
        if lane >= 0:
            lane_width[lane] = max(lane_width[lane], w + 2 * H_PAD)
        else:
            title_width = max(title_width, w + 2 * H_PAD)
        if lane >= 0:
            row_height[row] = max(row_height[row], h)

    # Print asks for lanes that fill the page: share the room left over among the lanes.
    target = float(graph.graph_attr.get("hb_width") or 0)
    spare = target - (title_width + sum(lane_width))
    if spare > 0 and lanes:
        lane_width = [w + spare / lanes for w in lane_width]
    left = [title_width + sum(lane_width[:i]) for i in range(lanes)]
    width = title_width + sum(lane_width)
    tops: dict[int, float] = {}
    cursor = 0.0
    for r in range(-1, rows):
        tops[r] = cursor
        cursor += row_height[r] + (V_GAP if r >= 0 else V_GAP * 0.6)
    height = cursor

    def y_of(row: int) -> float:  # Graphviz's y grows upwards
        return height - (tops[row] + row_height[row] / 2)

    phases: dict[int, list[int]] = {}
    for n in nodes:
        lane, row, phase = _int(n, "hb_lane"), _int(n, "hb_row"), _int(n, "hb_phase")
        if lane >= 0:
            n.attr["pos"] = _pin(left[lane] + lane_width[lane] / 2, y_of(row))
            if phase >= 0:
                phases.setdefault(phase, []).append(row)

    fill, stroke, alt = graph.graph_attr["hb_band"], graph.graph_attr["hb_rule"], graph.graph_attr["hb_band_alt"]
    bands: list[Band] = []
    for k, used in sorted(phases.items()):
        top = tops[min(used)] - V_GAP / 2
        bottom = tops[max(used)] + row_height[max(used)] + V_GAP / 2
        bands.append(Band(0, height - bottom, width, height - top, alt if k % 2 else fill, stroke))
        title = graph.get_node(f"phase-{k}") if graph.has_node(f"phase-{k}") else None
        if title is not None:
            title.attr["pos"] = _pin(title_width / 2, height - (top + bottom) / 2)
    header_bottom = tops[-1] + row_height[-1] + V_GAP * 0.3
    for i in range(lanes):
        bands.append(Band(left[i], 0, left[i] + lane_width[i], height - header_bottom, "none", stroke))

    for name, x, y in (("corner-low", 0.0, 0.0), ("corner-high", width, height)):
        graph.add_node(name, shape="point", style="invis", width=0.01, height=0.01, pos=_pin(x, y))
    return graph, bands


def draw(graph: pygraphviz.AGraph, bands: list[Band]) -> str:
    """Route the edges around the pinned nodes and draw the bands behind everything."""
    svg = graph.draw(format="svg", prog="neato").decode("utf-8")
    rects = "".join(
        f'<rect x="{b.x0:.1f}" y="{-b.y1:.1f}" width="{b.x1 - b.x0:.1f}" height="{b.y1 - b.y0:.1f}" '
        f'fill="{b.fill}" stroke="{b.stroke}" stroke-width="0.6"/>\n'
        for b in bands
    )
    # Behind everything: right after the top group's title (and its background, when it has one).
    match = re.search(r'<g id="graph0" class="graph"[^>]*>\n<title>.*?</title>\n(?:<polygon[^>]*/>\n)?', svg)
    if not match:
        return svg
    return svg[: match.end()] + rects + svg[match.end() :]
