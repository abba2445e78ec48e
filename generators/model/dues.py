"""Party dues (党费): which band a member's monthly pay base falls in, and what they pay.

The rates come from ``modules/dues.yml``; the arithmetic is here once. Amounts are counted in
fen (分) as integers and rates in hundredths of a per cent, so ``12000 元 × 2%`` is exact and
rounding (half up, to the fen) is the same in Python and in the calculator page's script,
which a browser test compares with :func:`monthly_dues`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import DuesCategory, DuesFile


@dataclass(frozen=True)
class DuesResult:
    """The month's dues of one member."""

    base_fen: int  # the pay base after deductions, never below zero
    percent: float | None  # the rate applied; None for a fixed amount
    band: int | None  # index of the band in the category
    dues_fen: int

    @property
    def dues(self) -> float:
        return self.dues_fen / 100


def to_fen(yuan: float) -> int:
    """Yuan as a whole number of fen (half a fen rounds up)."""
    return int(round(yuan * 100 + 1e-7))


def monthly_dues(category: DuesCategory, pay: float, deductions: dict[str, float] | None = None) -> DuesResult:
    """Dues of one month: ``pay`` in yuan, less the category's ``deductions`` (yuan by deduction id)."""
    if category.fixed is not None:
        return DuesResult(0, None, None, to_fen(category.fixed))
    base = to_fen(pay) - sum(to_fen(v) for k, v in (deductions or {}).items() if k in category.deductions)
    base = max(base, 0)
    for index, band in enumerate(category.bands):
        if band.up_to is None or base <= to_fen(band.up_to):
            hundredths = int(round(band.percent * 100))  # 0.5% → 50
            whole, rest = divmod(base * hundredths, 10000)
            return DuesResult(base, band.percent, index, whole + (1 if rest * 2 >= 10000 else 0))
    raise AssertionError("the last band has no upper limit (checked when loading)")


def dues_problems(category: DuesCategory) -> list[tuple[str, str, tuple]]:
    """What is wrong with a category's rule, as (problem, hint, path inside the category)."""
    problems = []
    if (category.fixed is None) == (not category.bands):
        problems.append(("应写分档比例 bands 或固定数额 fixed 之一", "按比例交纳的写 bands；每月交固定数额的写 fixed，两者只写一个。", ()))
    if category.bands:
        limits = [b.up_to for b in category.bands]
        if limits[-1] is not None or any(x is None for x in limits[:-1]):
            problems.append(("的最后一档应不写上限，其他各档都要写上限 up_to", "最后一档表示“以上全部”，请删除它的 up_to。", ("bands",)))
        elif any(a >= b for a, b in zip(limits[:-2], limits[1:-1])):
            problems.append(("的分档上限没有从小到大排列", "请按 up_to 从小到大排列各档。", ("bands",)))
        if category.base is None:
            problems.append(("按比例交纳，但没有写计算基数 base", "请写明计算基数是什么，如“每月工资收入（税后）”。", ()))
    return problems


def dues_data(dues: DuesFile) -> dict:
    """The rules as plain data for the calculator page."""
    return {
        "categories": [
            {
                "id": c.id, "name": c.name, "fixed": c.fixed, "deductions": c.deductions,
                "bands": [{"up_to": b.up_to, "percent": b.percent} for b in c.bands],
            }
            for c in dues.categories
        ],
        "deductions": [{"id": d.id, "name": d.name} for d in dues.deductions],
    }
