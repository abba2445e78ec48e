"""The theme from diagrams/theme.yml applied to graphs: fonts, colours, labels."""

from __future__ import annotations

from ..model import Model
from ..model.schema import ROLE_GROUP_LABELS, ColourPair, Theme
from .dot import Graph, Html, html_text

ROLE_GROUP_ORDER = list(ROLE_GROUP_LABELS)


class Style:
    """Graph defaults and label helpers for one model's theme."""

    def __init__(self, model: Model):
        assert model.theme is not None
        self.model = model
        self.theme: Theme = model.theme

    def graph(self, name: str, **attrs: object) -> Graph:
        t = self.theme
        graph = Graph(
            name,
            attrs={
                "charset": "UTF-8",
                "bgcolor": "transparent",
                "fontname": t.font,
                "fontsize": t.font_size,
                "fontcolor": t.ink,
                "pad": 0.1,
                "nodesep": 0.3,
                "ranksep": 0.4,
                **attrs,
            },
        )
        graph.node_defaults = {
            "fontname": t.font,
            "fontsize": t.font_size,
            "fontcolor": t.ink,
            "color": t.line,
            "penwidth": 1,
            "margin": "0.12,0.06",
        }
        graph.edge_defaults = {
            "fontname": t.font,
            "fontsize": t.small_font_size,
            "fontcolor": t.muted,
            "color": t.line,
            "arrowsize": 0.7,
        }
        return graph

    def role_colours(self, role_id: str | None) -> ColourPair:
        role = self.model.roles.get(role_id or "")
        group = role.group if role else "department"
        return self.theme.role_groups.get(group) or ColourPair(fill=self.theme.background, stroke=self.theme.line)

    def label(self, title: str, *, small: str | None = None, width: float | None = None, bold: bool = False) -> Html:
        """A label: the title wrapped, optionally a second line in small muted type."""
        width = width or self.theme.wrap
        main = html_text(title, width)
        if bold:
            main = f"<b>{main}</b>"
        if small:
            main += (
                f'<br/><font point-size="{self.theme.small_font_size:g}" color="{self.theme.muted}">'
                f"{html_text(small, width * self.theme.font_size / self.theme.small_font_size)}</font>"
            )
        return Html(main)

    def role_order(self, role_ids: set[str]) -> list[str]:
        """Roles in a stable, meaningful order: by group (上级组织 → 党委 → … → 党员群众), then roles.yml order."""
        position = {rid: i for i, rid in enumerate(self.model.roles)}

        def key(rid: str) -> tuple[int, int]:
            role = self.model.roles.get(rid)
            group = ROLE_GROUP_ORDER.index(role.group) if role else len(ROLE_GROUP_ORDER)
            return group, position.get(rid, len(position))

        return sorted(role_ids, key=key)
