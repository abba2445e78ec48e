"""The rubric as a score sheet that adds up: line scores bounded by their points, deductions per
instance, bonus items clipped to their own maximum and to the rubric's cap, and veto items that
cap the grade rather than zero the total.

:func:`score` is the one definition of the arithmetic; the score-sheet page's script repeats it
and a browser test holds the two to the same totals and grades.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import RubricFile


@dataclass(frozen=True)
class Score:
    lines: dict[str, float]
    base: float  # sum of the line scores
    bonus: float  # after each item's maximum and the cap
    total: float
    grade: str | None  # from the total alone
    final_grade: str | None  # after the veto items
    vetoes: tuple[str, ...]


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _round(value: float) -> float:
    return round(value + 1e-9, 2)


def line_score(points: float, per_instance: list[float], counts: list[float], given: float | None) -> float:
    """A line's score: what the assessor wrote (bounded by 0 and the line's points), else the points
    less each deduction times the number of times it occurred (扣完为止: never below zero)."""
    if given is not None:
        return _clip(given, 0, points)
    lost = sum(p * max(0, c) for p, c in zip(per_instance, counts))
    return _clip(points - lost, 0, points)


def bonus_cap(rubric: RubricFile) -> float:
    return rubric.bonus_cap if rubric.bonus_cap is not None else sum(b.points for b in rubric.bonus)


def grade_of(rubric: RubricFile, total: float) -> str | None:
    for grade in rubric.grades:
        if total >= grade.min:
            return grade.name
    return rubric.grades[-1].name if rubric.grades else None


def score(rubric: RubricFile, sheet: dict) -> Score:
    """Score one filled sheet: ``{"lines": {id: {"score": x} or {"counts": [n, …]}}, "bonus": {id: x},
    "veto": [id, …]}``; a line left out scores its full points less nothing."""
    lines: dict[str, float] = {}
    for aspect in rubric.aspects:
        for line in aspect.lines:
            entry = sheet.get("lines", {}).get(line.id, {})
            given = entry.get("score")
            lines[line.id] = _round(line_score(
                line.points, [d.points for d in line.deductions], list(entry.get("counts", [])),
                None if given is None or given == "" else float(given),
            ))
    bonus_items = {b.id: b for b in rubric.bonus}
    raw_bonus = sum(_clip(float(v or 0), 0, bonus_items[k].points) for k, v in sheet.get("bonus", {}).items() if k in bonus_items)
    bonus = _round(min(raw_bonus, bonus_cap(rubric)))
    base = _round(sum(lines.values()))
    total = _round(base + bonus)
    grade = grade_of(rubric, total)
    vetoes = tuple(v.id for v in rubric.veto if v.id in set(sheet.get("veto", [])))
    final = grade
    names = [g.name for g in rubric.grades]
    for veto in rubric.veto:
        if veto.id in vetoes and names:
            cap = veto.caps_grade or names[-1]
            if final is None or names.index(final) < names.index(cap):
                final = cap
    return Score(lines, base, bonus, total, grade, final, vetoes)


def sheet_data(rubric: RubricFile) -> dict:
    """The rubric as plain data for the score-sheet page."""
    return {
        "title": rubric.title,
        "total": rubric.total,
        "bonus_cap": bonus_cap(rubric),
        "grades": [{"name": g.name, "min": g.min} for g in rubric.grades],
        "lines": [
            {"id": line.id, "title": line.title, "points": line.points, "deductions": [d.points for d in line.deductions]}
            for aspect in rubric.aspects for line in aspect.lines
        ],
        "bonus": [{"id": b.id, "title": b.title, "points": b.points} for b in rubric.bonus],
        "veto": [{"id": v.id, "title": v.title, "caps": v.caps_grade or (rubric.grades[-1].name if rubric.grades else None)} for v in rubric.veto],
    }
