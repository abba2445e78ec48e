"""Swimlane placement for flowcharts: a column per lane, a band per phase, a row per step rank.

Graphviz's ``dot`` cannot pin nodes to columns, so flowcharts are laid out in two passes on
cache misses only: Graphviz measures every node from its label, this module places each node
at the centre of its lane column and its row (pinned), and ``neato`` routes the edges around
the fixed nodes. The lane and phase bands are then drawn behind the graph as SVG rectangles.

The logical DOT written by :mod:`.flowchart` carries the grid as node attributes:
``hb_lane`` (column, ``-1`` for the phase-title column), ``hb_row`` (``-1`` for the lane
headers) and ``hb_phase`` (``-1`` outside any phase).

Loop-backs (edges with ``hb_loop``) are not left to Graphviz, which draws them straight back
up across the chart: they leave their step sideways, run up a track of their own in a channel
beside the lanes (left or right, whichever side their steps are nearer), and come back in
level with the step they return to; :func:`draw` writes them as SVG edges like Graphviz's own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pygraphviz

from ..segmenter import on_new_words
from .dot import width_units, wrap

H_PAD = 6.0  # points between a node and its lane's edge
V_GAP = 26.0  # points between rows, room for an edge label
MIN_LANE = 72.0
TRACK_GAP = 7.0  # points between two loop-back tracks
TRACK_PAD = 6.0  # points between the lanes and the first track
LOOP_WRAP = 6.0  # characters per line of a loop-back's label, as Graphviz's edge labels


@dataclass(frozen=True)
class Band:
    x0: float
    y0: float
    x1: float
    y1: float
    fill: str
    stroke: str


@dataclass
class Loop:
    """A loop-back edge drawn by this module: from ``tail`` sideways to its track, up, and into ``head``."""

    tail: str
    head: str
    label: str
    colour: str
    font: str
    size: float
    ink: str
    side: str = "right"
    track: int = 0
    points: list[tuple[float, float]] = field(default_factory=list)  # Graphviz coordinates, y upwards
    label_at: tuple[float, float] = (0.0, 0.0)  # the label block's anchor: its top corner nearer the lanes

    def lines(self) -> list[str]:
        return wrap(self.label, LOOP_WRAP) if self.label else []

    def label_width(self) -> float:
        return max((width_units(line) for line in self.lines()), default=0.0) * self.size + 4


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
    graph, *_ = place(dot)
    x, y = (float(v) * 72 for v in graph.get_node("corner-high").attr["pos"].rstrip("!").split(","))
    pad = float(graph.graph_attr.get("pad") or 0.0555) * 72
    return round(x + 2 * pad), round(y + 2 * pad)


on_new_words(measure.cache_clear)  # loop-back labels wrap between words


def place(dot: str) -> tuple[pygraphviz.AGraph, list[Band], list[Loop]]:
    """The graph with every node pinned (``pos``), the bands to draw behind it, and its loop-backs routed."""
    graph = pygraphviz.AGraph(string=dot)
    size = _node_sizes(graph, dot)
    loops = _take_loops(graph)

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

    lane_of = {n.name: _int(n, "hb_lane") for n in nodes}
    row_of = {n.name: _int(n, "hb_row") for n in nodes}
    channel = _assign_tracks(loops, lane_of, row_of, lanes)

    # Print asks for lanes that fill the page: share the room left over among the lanes.
    target = float(graph.graph_attr.get("hb_width") or 0)
    spare = target - (title_width + channel["left"] + sum(lane_width) + channel["right"])
    if spare > 0 and lanes:
        lane_width = [w + spare / lanes for w in lane_width]
    first = title_width + channel["left"]
    left = [first + sum(lane_width[:i]) for i in range(lanes)]
    width = first + sum(lane_width) + channel["right"]
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
    boxes = {n.name: _box(n, size[n.name]) for n in nodes if _int(n, "hb_lane") >= 0 and _int(n, "hb_row") >= 0}
    _route(loops, boxes, first, first + sum(lane_width))
    return graph, bands, loops


def _take_loops(graph: pygraphviz.AGraph) -> list[Loop]:
    """Remove the loop-back edges from the graph (Graphviz routes the others) and keep them to draw."""
    loops = []
    for edge in list(graph.edges()):
        if edge.attr.get("hb_loop"):
            loops.append(Loop(edge[0], edge[1], _unquote(edge.attr.get("hb_label") or ""), edge.attr.get("color") or "black",
                              graph.edge_attr.get("fontname") or "sans-serif", float(graph.edge_attr.get("fontsize") or 8),
                              edge.attr.get("fontcolor") or graph.edge_attr.get("fontcolor") or "black"))
            graph.delete_edge(edge)
    return loops


def _unquote(value: str) -> str:
    """An attribute as :func:`.dot.quote` wrote it, with its escapes undone (Graphviz keeps them for labels)."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


def _assign_tracks(loops: list[Loop], lane_of: dict[str, int], row_of: dict[str, int], lanes: int) -> dict[str, float]:
    """Give every loop-back a side and a track, shorter loops nearer the lanes; the width of each channel."""
    for loop in loops:
        middle = (lane_of[loop.tail] + lane_of[loop.head]) / 2
        loop.side = "left" if middle < (lanes - 1) / 2 else "right"
    width = {"left": 0.0, "right": 0.0}
    for side in ("left", "right"):
        mine = sorted((lp for lp in loops if lp.side == side),
                      key=lambda lp: (abs(row_of[lp.tail] - row_of[lp.head]), row_of[lp.tail], lp.tail, lp.head))
        used: list[list[tuple[int, int]]] = []
        for loop in mine:
            span = tuple(sorted((row_of[loop.tail], row_of[loop.head])))
            track = next((k for k, spans in enumerate(used) if all(span[1] < a or span[0] > b for a, b in spans)), len(used))
            if track == len(used):
                used.append([])
            used[track].append(span)
            loop.track = track
        if mine:
            # Labels go beyond the outermost track, where no other loop-back crosses them.
            outer = max(lp.track for lp in mine) * TRACK_GAP
            width[side] = TRACK_PAD + outer + 3 + max(lp.label_width() for lp in mine) + H_PAD
    return width


def _box(node, size: tuple[float, float]) -> tuple[float, float, float, float]:
    """A pinned node's outline as (left, bottom, right, top), in points, y upwards."""
    x, y = (float(v) * 72 for v in node.attr["pos"].rstrip("!").split(","))
    w, h = size
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def _route(loops: list[Loop], boxes: dict[str, tuple[float, float, float, float]], lanes_left: float,
           lanes_right: float) -> None:
    """Orthogonal paths: out of the side of the step, along its track, back in level with the target.

    A leg that would cross another step of the same row runs in the gap below (source) or above
    (target) that row instead. Labels stand beyond the outermost track, halfway up their loop.
    """

    def blocked(y: float, x0: float, x1: float, own: str) -> bool:
        lo, hi = min(x0, x1), max(x0, x1)
        return any(b[0] < hi and b[2] > lo and b[1] < y < b[3] for name, b in boxes.items() if name != own)

    outer = {side: max((lp.track for lp in loops if lp.side == side), default=0) * TRACK_GAP for side in ("left", "right")}
    for loop in loops:
        right = loop.side == "right"
        x = (lanes_right + TRACK_PAD + loop.track * TRACK_GAP) if right else (lanes_left - TRACK_PAD - loop.track * TRACK_GAP)
        beyond = (lanes_right + TRACK_PAD + outer["right"] + 3) if right else (lanes_left - TRACK_PAD - outer["left"] - 3)
        tail, head = boxes[loop.tail], boxes[loop.head]
        points: list[tuple[float, float]] = []
        for name, box, gap_side in ((loop.tail, tail, -1), (loop.head, head, +1)):
            cy = (box[1] + box[3]) / 2
            edge_x = box[2] if right else box[0]
            if not blocked(cy, edge_x, x, name):
                leg = [(edge_x, cy), (x, cy)]
            else:
                # Out through the bottom (or in through the top) and along the gap between rows.
                gy = (box[1] - V_GAP / 2) if gap_side < 0 else (box[3] + V_GAP / 2)
                inner = (box[0] + box[2]) / 2 + (box[2] - box[0]) / 4 * (1 if right else -1)
                edge_y = box[1] if gap_side < 0 else box[3]
                leg = [(inner, edge_y), (inner, gy), (x, gy)]
            points += leg if gap_side < 0 else list(reversed(leg))
        loop.points = points
        label_top = max(points[0][1], points[-1][1]) - (abs(points[0][1] - points[-1][1]) - len(loop.lines()) * loop.size * 1.2) / 2
        loop.label_at = (beyond, label_top)


def draw(graph: pygraphviz.AGraph, bands: list[Band], loops: list[Loop] = ()) -> str:
    """Route the edges around the pinned nodes, draw the bands behind everything and the loop-backs."""
    svg = graph.draw(format="svg", prog="neato").decode("utf-8")
    rects = _cuts(graph, bands) + "".join(
        f'<rect x="{b.x0:.1f}" y="{-b.y1:.1f}" width="{b.x1 - b.x0:.1f}" height="{b.y1 - b.y0:.1f}" '
        f'fill="{b.fill}" stroke="{b.stroke}" stroke-width="0.6"/>\n'
        for b in bands
    ) + "".join(_loop_svg(k, loop, graph.graph_attr.get("hb_band") or "white") for k, loop in enumerate(loops))
    # Behind everything: right after the top group's title (and its background, when it has one).
    match = re.search(r'<g id="graph0" class="graph"[^>]*>\n<title>.*?</title>\n(?:<polygon[^>]*/>\n)?', svg)
    if not match:
        return svg
    return svg[: match.end()] + rects + svg[match.end() :]


def _cuts(graph: pygraphviz.AGraph, bands: list[Band]) -> str:
    """Where the chart may be cut for paper, as an empty group a page's print style can read: the foot of the
    lane headers and the top of every phase band, in the SVG's viewBox units from its top."""
    height = float(graph.get_node("corner-high").attr["pos"].rstrip("!").split(",")[1]) * 72
    pad = float(graph.graph_attr.get("pad") or 0.0555) * 72
    heads = [b for b in bands if b.fill == "none"]
    header = height - max((b.y1 for b in heads), default=height)
    tops = sorted({round(pad + height - b.y1, 1) for b in bands if b.fill != "none"})
    return f'<g class="hb-cuts" data-header="{pad + header:.1f}" data-cuts="{" ".join(f"{t:.1f}" for t in tops)}"/>\n'


def _loop_svg(index: int, loop: Loop, paper: str) -> str:
    """One loop-back as Graphviz writes an edge: a title naming both ends, a dashed path, an arrowhead, the label."""
    (x0, y0), *_, (xn, yn) = loop.points
    path = "M" + " L".join(f"{x:.1f},{-y:.1f}" for x, y in loop.points)
    # The arrowhead (Graphviz's normal arrow at arrowsize 0.7) points along the last leg.
    (xa, ya) = loop.points[-2]
    if abs(xa - xn) > abs(ya - yn):
        d = 1 if xa > xn else -1
        head = [(xn, yn), (xn + 7 * d, yn + 2.45), (xn + 7 * d, yn - 2.45)]
    else:
        d = 1 if ya > yn else -1
        head = [(xn, yn), (xn + 2.45, yn + 7 * d), (xn - 2.45, yn + 7 * d)]
    arrow = " ".join(f"{x:.1f},{-y:.1f}" for x, y in head + head[:1])
    title = html.escape(f"{loop.tail}->{loop.head}").replace("-", "&#45;")
    out = [f'<g id="loop{index + 1}" class="edge">', f"<title>{title}</title>",
           f'<path fill="none" stroke="{loop.colour}" stroke-dasharray="5,2" d="{path}"/>',
           f'<polygon fill="{loop.colour}" stroke="{loop.colour}" points="{arrow}"/>']
    lines = loop.lines()
    if lines:
        lx, ly = loop.label_at
        anchor = "start" if loop.side == "right" else "end"
        width = loop.label_width()
        bx = lx - 2 if loop.side == "right" else lx - width + 2
        out.append(f'<rect x="{bx:.1f}" y="{-ly - 1:.1f}" width="{width:.1f}" height="{len(lines) * loop.size * 1.2 + 2:.1f}" '
                   f'fill="{paper}" stroke="none"/>')
        for k, line in enumerate(lines):
            out.append(f'<text text-anchor="{anchor}" x="{lx:.1f}" y="{-ly + loop.size * (1.2 * k + 1):.1f}" '
                       f'font-family="{html.escape(loop.font)}" font-size="{loop.size:.2f}" fill="{loop.ink}">'
                       f"{html.escape(line, quote=False)}</text>")
    out.append("</g>\n")
    return "\n".join(out)
