"""Where each yearly document goes in the site: the pages link to the same names the build writes."""

from __future__ import annotations

from dataclasses import dataclass, field


def monthly_path(year: int, month: int, level: str, ext: str, layout: str = "plain") -> str:
    suffix = "-gongwen" if layout == "gongwen" else ""
    return f"downloads/monthly/{year}-{month:02d}-{level}{suffix}.{ext}"


def form_path(form_id: str) -> str:
    return f"downloads/forms/{form_id}.docx"


def record_book_path(branch_type: str, year: int) -> str:
    return f"downloads/record-books/record-book-{branch_type}-{year}.pdf"


def wall_chart_path(level: str, year: int) -> str:
    return f"downloads/wall-charts/wall-chart-{level}-{year}.pdf"


@dataclass(frozen=True)
class Links:
    """What the site's pages link to once the documents of ``year`` are made; ``levels`` are (id, name) of the
    党委 and each branch type, in site order."""

    year: int
    levels: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def monthly(self, month: int, level: str) -> list[tuple[str, str]]:
        return [("Word", monthly_path(self.year, month, level, "docx")),
                ("Word（公文格式）", monthly_path(self.year, month, level, "docx", "gongwen")),
                ("PDF", monthly_path(self.year, month, level, "pdf"))]

    def form(self, form_id: str) -> str:
        return form_path(form_id)

    def record_book(self, branch_type: str) -> str:
        return record_book_path(branch_type, self.year)

    def wall_chart(self, level: str) -> str:
        return wall_chart_path(level, self.year)
