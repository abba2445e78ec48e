"""一览表: every work item of a handbook in one table (per branch type for the branch handbook), and the
会议一览表 of the meetings in ``modules/meetings.yml``. The site's handbook pages, the printed editions and the
record book all show these rows, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import emphasis_of
from .model import Model
from .model.schema import EMPHASIS_LABELS, FREQUENCY_LABELS, Meeting, WorkItem

NOT_SET = "未作规定"


@dataclass(frozen=True)
class OverviewRow:
    item: WorkItem
    title: str
    frequency: str
    owner: str
    time_nodes: str
    records: str
    emphasis: str  # 必做 / 重点 / 可选 for a branch type, else ""


@dataclass(frozen=True)
class OverviewGroup:
    section_id: str
    title: str
    rows: list[OverviewRow]


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    name: str
    convener: str
    attendees: str
    frequency: str
    quorum: str
    vote_rule: str
    records: str
    sample: bool


def role_name(model: Model, role_id: str) -> str:
    return model.roles[role_id].name if role_id in model.roles else role_id


def item_row(model: Model, item: WorkItem, branch_type: str | None = None) -> OverviewRow:
    level = emphasis_of(item, branch_type) if branch_type else None
    return OverviewRow(item, item.title, FREQUENCY_LABELS[item.frequency], role_name(model, item.owner),
                       "；".join(item.time_nodes), "、".join(item.records), EMPHASIS_LABELS[level] if level else "")


def work_overview(model: Model, handbook_id: str, branch_type: str | None = None) -> list[OverviewGroup]:
    """The handbook's items by section; for a branch type only the items that apply to it."""
    groups = []
    for section in model.handbooks[handbook_id].sections:
        items = [i for i in section.items if branch_type is None or emphasis_of(i, branch_type)]
        if items:
            groups.append(OverviewGroup(section.id, section.title, [item_row(model, i, branch_type) for i in items]))
    return groups


def meeting_overview(model: Model, level: str) -> list[MeetingRow]:
    """The meetings of one level (a handbook's kind): committee / project / branch / member."""
    rows = []
    for meeting in model.meetings.values():
        if meeting.level != level:
            continue
        rows.append(MeetingRow(meeting, meeting.name, role_name(model, meeting.convener),
                               "、".join(role_name(model, r) for r in meeting.attendees), meeting.frequency,
                               meeting.quorum or NOT_SET, meeting.vote_rule or NOT_SET, "、".join(meeting.records),
                               meeting.sample))
    return rows
