"""The YAML-shaped classes: what each file under ``modules/`` may say.

These classes check the shape of one file at a time (fields, types, allowed
values, id syntax). References between files are checked afterwards by
:mod:`generators.model.references`, and the resolved content is held by
:class:`generators.model.model.Model`. Every field carries a Chinese
description: it becomes the JSON Schema that editors' tools autocomplete
from, and the generated editor guide.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
# A reference to a role, document, section, form, term or branch type: its id, or one of its Chinese
# names (no spaces), which generators.model.names turns into the id.
REF_PATTERN = r"^(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[^\x00-\x7f\s][^\s]*)$"
Ref = Annotated[str, StringConstraints(pattern=REF_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

Frequency = Literal[
    "monthly", "quarterly", "half_yearly", "yearly", "per_term", "as_needed", "ongoing", "once"
]
FREQUENCY_LABELS: dict[str, str] = {
    "monthly": "每月",
    "quarterly": "每季度",
    "half_yearly": "每半年",
    "yearly": "每年",
    "per_term": "每届",
    "as_needed": "按需",
    "ongoing": "经常性",
    "once": "一次性",
}
Emphasis = Literal["required", "emphasised", "optional"]
EMPHASIS_LABELS: dict[str, str] = {"required": "必做", "emphasised": "重点", "optional": "可选"}
RoleGroup = Literal["superior", "committee", "discipline", "department", "branch", "mass", "member"]
ROLE_GROUP_LABELS: dict[str, str] = {
    "superior": "上级组织",
    "committee": "党委",
    "discipline": "纪委",
    "department": "职能部门",
    "branch": "党支部",
    "mass": "群团组织",
    "member": "党员群众",
}
StepKind = Literal["start", "task", "decision", "end", "subprocess"]
STEP_KIND_LABELS: dict[str, str] = {
    "start": "开始",
    "task": "工作步骤",
    "decision": "判断",
    "end": "结束",
    "subprocess": "子流程",
}
HandbookKind = Literal["committee", "project", "branch", "member"]
SectionKind = Literal["module", "element", "task", "standardization", "dimension", "appendix"]
SECTION_KIND_LABELS: dict[str, str] = {
    "module": "模块",
    "element": "要素",
    "task": "任务",
    "standardization": "标准化",
    "dimension": "维度",
    "appendix": "附录",
}
FieldKind = Literal["text", "multiline", "date", "number", "signature", "choice", "checkbox"]
RubricPeriod = Literal["monthly", "quarterly", "half_yearly", "yearly"]


def _choices(labels: dict[str, str]) -> str:
    return "；".join(f"{k}（{v}）" for k, v in labels.items())


def zh_config(description: str) -> ConfigDict:
    """Config shared by every file class: unknown keys are mistakes; the class's Chinese description."""
    return ConfigDict(extra="forbid", json_schema_extra={"description": description})


def _id(what: str) -> Any:
    return Field(
        description=f"{what}的标识：小写英文字母、数字和连字符，以字母开头；在同类内容中唯一，其他地方用它来引用。",
        examples=["three-meetings"],
    )


RULES_DESCRIPTION = (
    "适用的规则的标识（见 modules/rules.yml）：频次、人数、比例、时限等数字只在规则中写一次，这里引用它。"
)


class Citation(BaseModel):
    model_config = zh_config("依据：引用的文件及条款。")

    doc: Ref = Field(description="依据文件的标识或名称（见 modules/documents.yml）。", examples=["branch-regulations"])
    articles: list[Text] = Field(
        default_factory=list, description="引用的条款，如“第十九条”；可写多条。", examples=[["第十九条"]]
    )
    note: Text | None = Field(default=None, description="补充说明，如条款中的具体规定。")


# ---------------------------------------------------------------- site.yml


class SiteSettings(BaseModel):
    model_config = zh_config("站点设置：企业名称、版次，以及各手册和支部类型的排列顺序。")

    title: Text = Field(default="党建标准化工作手册", description="站点标题，显示在每页顶部。")
    enterprise: Text = Field(description="企业名称，印在封面和页眉上。", examples=["某某集团有限公司"])
    edition_year: int = Field(ge=2000, le=2100, description="版次年份，如 2026。", examples=[2026])
    version: Text = Field(description="版本号，如 “1.0”（请加引号）。", examples=["1.0"])
    handbooks: list[Slug] = Field(
        min_length=1,
        description="手册的排列顺序：写 modules/handbooks/ 下各文件夹的名称。",
        examples=[["committee", "branch"]],
    )
    branch_types: list[Ref] = Field(
        default_factory=list,
        description="支部类型的排列顺序：写 modules/branch-types/ 下各文件的名称（不含 .yml）。",
        examples=[["decision", "project"]],
    )
    previous: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9._/-]{0,99}$")] | None = Field(
        default=None,
        description="上一版次在 git 中的标签或提交号，如 v2025（请加引号）；写了就在站点上发布与上一版次的修订对照表。",
        examples=["v2025"],
    )
    reminder_days: int | None = Field(
        default=None, ge=1, le=30,
        description="日历订阅中，每个有截止日期的事项提前几天另加一条提醒；不写则不加。",
        examples=[3],
    )


# ---------------------------------------------------------------- roles.yml


class Role(BaseModel):
    model_config = zh_config("角色：承担工作的组织或岗位，即“责任主体”。")

    id: Slug = _id("角色")
    name: Text = Field(description="角色名称，如“党支部书记”。", examples=["党支部书记"])
    aliases: list[Text] = Field(default_factory=list, description="别称，如“支部书记”；引用这个角色时也可以写别称。")
    group: RoleGroup = Field(description=f"角色所属的类别，决定流程图泳道的颜色。可选：{_choices(ROLE_GROUP_LABELS)}。")
    description: Text | None = Field(default=None, description="这个角色的职责简介。")


class RolesFile(BaseModel):
    model_config = zh_config("角色清单（modules/roles.yml）。")

    roles: list[Role] = Field(min_length=1, description="全部角色，按常用顺序排列。")


# ---------------------------------------------------------------- documents.yml


class Article(BaseModel):
    model_config = zh_config("条款：依据文件中被手册引用的一条（或一章），附一句用自己的话写的概要。")

    number: Text = Field(description="条款号，照原文写，如“第十五条”；整章引用时写“第三章”。", examples=["第十五条"])
    summary: Text = Field(description="一句话概要：这一条规定了什么（用自己的话写，不照抄原文）。")


class Document(BaseModel):
    model_config = zh_config("依据文件：党内法规、规范性文件或本企业制度。")

    id: Slug = _id("依据文件")
    title: Text = Field(description="文件全称，含书名号。", examples=["《中国共产党支部工作条例（试行）》"])
    short: Text | None = Field(default=None, description="简称，如“支部工作条例”。")
    issuer: Text = Field(description="制定或印发机关，如“中共中央”。", examples=["中共中央"])
    issued: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = Field(
        default=None, description="印发日期，写成 2018-10-28、2018-10 或 2018（请加引号）；查不到时不写。", examples=["2018-10-28"]
    )
    enterprise_rule: bool = Field(default=False, description="是否为本企业自行制定的制度（而非上级党内法规）。")
    revision: Text | None = Field(default=None, description="现行版本：第几次修订或修正、由谁在何时修订，如“2022年10月党的二十大部分修改”。")
    unnumbered: bool = Field(default=False, description="文件不分条款（如意见、通知、工作指引）：引用时只写文件，不写条款号。")
    version_confirmed: bool = Field(
        default=False, description="现行版本（制定机关、日期、修订情况）是否已对照权威文本核实；未核实的列在审核页上。"
    )
    note: Text | None = Field(default=None, description="说明，如修订情况。")
    articles: list[Article] = Field(
        default_factory=list, description="手册引用的条款及其概要；依据中引用的每一条都要在这里列出。"
    )


class DocumentsFile(BaseModel):
    model_config = zh_config("依据文件清单（modules/documents.yml）。")

    documents: list[Document] = Field(min_length=1, description="全部依据文件。")


# ---------------------------------------------------------------- rules.yml

RuleTopic = Literal["meeting", "quorum", "vote", "member-development", "term", "dues", "temporary-branch", "other"]
RULE_TOPIC_LABELS: dict[str, str] = {
    "meeting": "会议频次",
    "quorum": "到会人数",
    "vote": "表决",
    "member-development": "发展党员时限",
    "term": "任期",
    "dues": "党费",
    "temporary-branch": "临时党支部",
    "other": "其他",
}


class RuleMention(BaseModel):
    model_config = zh_config("怎样在正文中认出对这条规则的复述：同一句中出现全部关键词，又写了同类数字时，数字必须与规则一致。")

    keywords: list[Text] = Field(min_length=1, description="关键词：一句话同时含有这些词，就视为在说这条规则。", examples=[["民主评议", "优秀"]])
    values: list[Text] = Field(
        min_length=1,
        description="规则的数字的写法，如 “1/3”“三分之一”“每半年”；句中同类数字（比例、期限、频次）与这些都不同即为矛盾。",
        examples=[["1/3", "三分之一"]],
    )


class Rule(BaseModel):
    model_config = zh_config("规则：在多处手册中反复出现的数字规定（频次、到会人数、表决比例、时限、任期、党费比例等），只在这里写一次。")

    id: Slug = _id("规则")
    title: Text = Field(description="规则名称，如“党员大会召开频次”。", examples=["党员大会召开频次"])
    topic: RuleTopic = Field(description=f"类别：{_choices(RULE_TOPIC_LABELS)}。")
    statement: Text = Field(description="规则本身，一句话，用自己的话写。", examples=["党支部党员大会一般每季度召开1次。"])
    frequency: Frequency | None = Field(
        default=None, description="会议或工作的频次（频次类规则填写）：引用它的事项的时间节点必须与之相符。"
    )
    at_least: bool = Field(default=False, description="频次是否为“至少”：为 true 时，更频繁的时间节点也算相符。")
    mentions: list[RuleMention] = Field(default_factory=list, description="正文中复述这条规则的写法，用于一致性检查。")
    basis: list[Citation] = Field(default_factory=list, description="依据文件及条款；没有法规依据的规则须标为示例。")
    sample: bool = Field(
        default=False, description="是否为示例：本企业的做法，法规没有直接规定。"
    )


class RulesFile(BaseModel):
    model_config = zh_config("规则清单（modules/rules.yml）：反复出现的数字规定只写一次，事项、步骤和重点任务引用它。")

    rules: list[Rule] = Field(min_length=1, description="全部规则。")


# ---------------------------------------------------------------- glossary.yml


class GlossaryTerm(BaseModel):
    model_config = zh_config("术语：手册中的专有名词及其解释。")

    id: Slug = _id("术语")
    term: Text = Field(description="术语本身，如“三会一课”。", examples=["三会一课"])
    aliases: list[Text] = Field(default_factory=list, description="别称或全称，搜索时也能找到。")
    definition: Text = Field(description="释义，用自己的话写清楚。")
    see_also: list[Ref] = Field(default_factory=list, description="相关术语的标识或名称。")
    basis: list[Citation] = Field(default_factory=list, description="出处。")


class GlossaryFile(BaseModel):
    model_config = zh_config("术语表（modules/glossary.yml）。")

    terms: list[GlossaryTerm] = Field(min_length=1, description="全部术语。")


# ---------------------------------------------------------------- forms.yml


class FormField(BaseModel):
    model_config = zh_config("表单栏目：空白记录表中的一栏。")

    name: Text = Field(description="栏目名称，如“会议时间”。", examples=["会议时间"])
    kind: FieldKind = Field(
        default="text",
        description="栏目类型：text（单行文字）；multiline（多行文字）；date（日期）；number（数字）；"
        "signature（签字）；choice（选项）；checkbox（勾选）。",
    )
    lines: int = Field(default=1, ge=1, le=30, description="印刷时留出的行数（多行文字用）。")
    choices: list[Text] = Field(default_factory=list, description="可选项（choice 类型用）。")
    required: bool = Field(default=False, description="是否必填。")


class RecordForm(BaseModel):
    model_config = zh_config("记录表：需要填写留存的空白表单。")

    id: Slug = _id("记录表")
    title: Text = Field(description="表名，如“党员大会记录表”。", examples=["党员大会记录表"])
    aliases: list[Text] = Field(default_factory=list, description="别称；引用这张表时也可以写别称。")
    description: Text | None = Field(default=None, description="用途和填写说明。")
    retention: Text | None = Field(default=None, description="保存期限，如“长期”。")
    fields: list[FormField] = Field(min_length=1, description="表中的各栏目，按印刷顺序排列。")


class FormsFile(BaseModel):
    model_config = zh_config("记录表清单（modules/forms.yml）。")

    forms: list[RecordForm] = Field(min_length=1, description="全部记录表。")


# ---------------------------------------------------------------- meetings.yml


class Meeting(BaseModel):
    model_config = zh_config("会议：一种例行会议，由谁召集、谁参加、多久一次、几人到会方可召开、怎样表决、留存什么记录。")

    id: Slug = _id("会议")
    name: Text = Field(description="会议名称，如“支部党员大会”。", examples=["支部党员大会"])
    level: HandbookKind = Field(
        description="会议所属层级，即列入哪本手册的会议一览表：committee（党委）；project（项目党建）；branch（党支部）；member（党员）。"
    )
    item: Ref = Field(description="规定这种会议的工作事项：事项的标识或标题。")
    convener: Ref = Field(description="召集人：角色的标识或名称。")
    attendees: list[Ref] = Field(min_length=1, description="参加人员：角色的标识或名称。")
    frequency: Text = Field(description="频次，照依据原文写，如“一般每季度1次”。")
    quorum: Text | None = Field(
        default=None, description="到会要求，照依据原文写，如“有表决权的党员半数以上到会”；依据没有规定的不写。"
    )
    vote_rule: Text | None = Field(
        default=None, description="表决规则，如“赞成票超过应到会有表决权党员的半数”；不作决定的会议不写。"
    )
    records: list[Text] = Field(default_factory=list, description="需留存的记录。")
    basis: list[Citation] = Field(default_factory=list, description="依据文件及条款：频次、到会和表决规则各自的出处。")
    sample: bool = Field(
        default=False, description="是否为示例：由本手册根据实践设计、法规没有直接规定的内容，采用时请结合本单位实际调整。"
    )


class MeetingsFile(BaseModel):
    model_config = zh_config("会议一览（modules/meetings.yml）：各层级的例行会议。")

    meetings: list[Meeting] = Field(min_length=1, description="全部会议，按一览表的顺序排列。")


# ---------------------------------------------------------------- rubric.yml


class RubricDeduction(BaseModel):
    model_config = zh_config("按次扣分：每出现一次（缺一次、漏一人次…）扣多少分。")

    title: Text = Field(description="扣分情形，如“缺开一次”。", examples=["缺开一次"])
    points: float = Field(gt=0, description="每次扣的分数。", examples=[2])


class RubricLine(BaseModel):
    model_config = zh_config("考核子项：细则中的一行。")

    id: Slug = _id("考核子项")
    title: Text = Field(description="子项名称。")
    points: float = Field(gt=0, description="分值。")
    criteria: Text = Field(description="评分标准：怎样得分、怎样扣分。")
    evidence: Text = Field(description="查验的资料（台账、记录等），即佐证材料。")
    method: Text | None = Field(default=None, description="考评方式，如“查看记录”“现场抽查”；不写则用细则的 method。")
    deductions: list[RubricDeduction] = Field(
        default_factory=list, description="按次扣分的情形；评分表据此按次数算出得分，扣完为止。"
    )
    assesses: list[Slug] = Field(default_factory=list, description="这一子项考核的工作事项的标识。")
    enterprise_rule: bool = Field(default=True, description="是否为企业自定的考核标准（而非法规直接规定）。")
    basis: list[Citation] = Field(default_factory=list, description="依据。")


class RubricAspect(BaseModel):
    model_config = zh_config("考核方面：若干子项的归类。")

    id: Slug = _id("考核方面")
    title: Text = Field(description="方面名称。")
    points: float = Field(gt=0, description="本方面的总分，应等于其子项分值之和。")
    lines: list[RubricLine] = Field(min_length=1, description="本方面的子项。")


class BonusItem(BaseModel):
    model_config = zh_config("加分项。")

    id: Slug = _id("加分项")
    title: Text = Field(description="加分项名称。")
    points: float = Field(gt=0, description="最高加分。")
    criteria: Text = Field(description="加分条件。")


class VetoItem(BaseModel):
    model_config = zh_config("否决项：出现时限制考核等次的情形（不扣总分）。")

    id: Slug = _id("否决项")
    title: Text = Field(description="否决项名称。")
    criteria: Text = Field(description="否决的情形。")
    caps_grade: Text | None = Field(
        default=None, description="出现时最高只能评为的等次（grades 中的名称），如“二类”；不写则为最低等次。"
    )


class RubricGrade(BaseModel):
    model_config = zh_config("考核等次：得分不低于某分数评为某等次。")

    name: Text = Field(description="等次名称，如“一类”“不合格”。", examples=["一类"])
    min: float = Field(ge=0, description="评为这一等次的最低得分（含）。", examples=[90])


class RubricFile(BaseModel):
    model_config = zh_config("考核评比细则（modules/rubric.yml）。")

    title: Text = Field(description="细则名称。", examples=["党支部党建工作考核评比细则"])
    period: RubricPeriod = Field(description="考核周期：monthly（每月）；quarterly（每季度）；half_yearly（每半年）；yearly（每年）。")
    total: float = Field(default=100, gt=0, description="满分，应等于各方面分值之和。")
    note: Text | None = Field(default=None, description="说明。")
    aspects: list[RubricAspect] = Field(min_length=1, description="考核的各个方面。")
    bonus: list[BonusItem] = Field(default_factory=list, description="加分项。")
    bonus_cap: float | None = Field(default=None, gt=0, description="加分合计的上限；不写则为各加分项最高分之和。")
    veto: list[VetoItem] = Field(default_factory=list, description="否决项。")
    method: Text | None = Field(default=None, description="考评方式（各子项通用），如“查阅台账资料，现场抽查”。")
    grades: list[RubricGrade] = Field(
        default_factory=list, description="考核等次，从高到低排列，最后一档的 min 一般为 0。"
    )


# ---------------------------------------------------------------- dues.yml


class DuesBand(BaseModel):
    model_config = zh_config("党费分档：计算基数不超过某数额的，按某比例交纳。")

    up_to: float | None = Field(
        default=None, gt=0, description="本档上限（元，含本数）；最后一档不写，表示以上全部。", examples=[3000]
    )
    percent: float = Field(gt=0, le=100, description="交纳比例（百分数），如 0.5 表示 0.5%。", examples=[0.5])


class DuesDeduction(BaseModel):
    model_config = zh_config("计算基数的扣除项：从工资收入中扣除后再计算党费的项目。")

    id: Slug = _id("扣除项")
    name: Text = Field(description="名称，如“个人所得税”。", examples=["个人所得税"])
    description: Text | None = Field(default=None, description="说明。")
    enterprise_rule: bool = Field(default=False, description="是否为本企业自行规定的扣除（而非党费规定本身）。")
    basis: list[Citation] = Field(default_factory=list, description="依据。")


class DuesCategory(BaseModel):
    model_config = zh_config("党员类别：在职、离退休、学生等，各有计算基数和比例。")

    id: Slug = _id("党员类别")
    name: Text = Field(description="类别名称，如“在职党员（按月领取工资）”。")
    base: Text | None = Field(default=None, description="计算基数是什么（按比例计算的类别必填）。")
    deductions: list[Slug] = Field(default_factory=list, description="计算基数要扣除的项目的标识（见 deductions）。")
    bands: list[DuesBand] = Field(
        default_factory=list, description="分档和比例，按上限从小到大排列；与 fixed 二选一。"
    )
    fixed: float | None = Field(default=None, gt=0, description="每月固定交纳的数额（元），如 0.2；与 bands 二选一。")
    basis: list[Citation] = Field(min_length=1, description="依据的文件和条款。")


class DuesFile(BaseModel):
    model_config = zh_config("党费交纳标准（modules/dues.yml）：党费计算器按它计算。")

    title: Text = Field(default="党费交纳标准", description="标题。")
    note: Text | None = Field(default=None, description="说明，显示在计算器下方。")
    deductions: list[DuesDeduction] = Field(default_factory=list, description="计算基数可能扣除的项目。")
    categories: list[DuesCategory] = Field(min_length=1, description="党员类别。")


# ---------------------------------------------------------------- search.yml


class SearchFile(BaseModel):
    model_config = zh_config("站内搜索设置（modules/search.yml）。")

    pinyin: dict[Annotated[str, StringConstraints(min_length=1, max_length=20)],
                 Annotated[str, StringConstraints(pattern=r"^[a-z]+( [a-z]+)*$")]] = Field(
        default_factory=dict,
        description="多音字词的读法：词: 拼音（每个字的拼音用空格分开，小写，不写声调），如 三会一课: san hui yi ke。",
        examples=[{"三会一课": "san hui yi ke"}],
    )


# ---------------------------------------------------------------- branch-types/<id>.yml


class KeyTask(BaseModel):
    model_config = zh_config("重点任务：某类党支部在“作用发挥”上的重点工作。")

    id: Slug = _id("重点任务")
    title: Text = Field(description="任务名称。")
    description: Text = Field(description="任务内容和要求。")
    items: list[Slug] = Field(default_factory=list, description="落实这项任务的工作事项的标识。")
    basis: list[Citation] = Field(default_factory=list, description="依据。")
    rules: list[Slug] = Field(default_factory=list, description=RULES_DESCRIPTION)
    sample: bool = Field(
        default=False, description="是否为示例：由本手册根据实践设计、法规没有直接规定的内容，采用时请结合本单位实际调整。"
    )


class BranchTypeFile(BaseModel):
    model_config = zh_config("支部类型（modules/branch-types/<标识>.yml，文件名就是类型的标识）。")

    name: Text = Field(description="类型名称，如“项目型”。", examples=["项目型"])
    aliases: list[Text] = Field(default_factory=list, description="别称；引用这一类型时也可以写别称。")
    summary: Text = Field(description="一句话说明这类支部是什么。")
    applies_to: Text = Field(description="适用于哪些单位，如“工程项目部”。")
    key_tasks: list[KeyTask] = Field(min_length=1, description="这类支部的重点任务。")
    sample: bool = Field(
        default=False, description="是否为示例：由本手册根据实践设计、法规没有直接规定的内容，采用时请结合本单位实际调整。"
    )


# ---------------------------------------------------------------- handbooks/<id>/handbook.yml


class Audience(BaseModel):
    model_config = zh_config("读者对象，如“普通党员”“党员领导干部”。")

    id: Slug = _id("读者对象")
    name: Text = Field(description="名称。")
    description: Text | None = Field(default=None, description="说明。")


class HandbookFile(BaseModel):
    model_config = zh_config("手册（modules/handbooks/<标识>/handbook.yml，文件夹名就是手册的标识）。")

    title: Text = Field(description="手册全称。", examples=["党支部（总支）标准化工作手册"])
    short: Text = Field(description="简称，用于导航。", examples=["支部手册"])
    kind: HandbookKind = Field(
        description="手册类别：committee（党委）；project（项目党建）；branch（党支部）；member（党员教育管理）。"
    )
    description: Text = Field(description="手册简介。")
    section_label: Text = Field(description="本手册各部分的称呼，如“模块”“要素”“任务”“维度”。", examples=["模块"])
    sections: list[Ref] = Field(
        min_length=1, description="各部分的排列顺序：写本文件夹中其他 .yml 文件的名称（不含 .yml），或部分的名称。"
    )
    audiences: list[Audience] = Field(default_factory=list, description="读者对象（党员教育管理手册用）。")


# ---------------------------------------------------------------- handbooks/<id>/<section>.yml


class Branch(BaseModel):
    model_config = zh_config("判断分支：判断步骤的一种结果及其去向。")

    label: Annotated[str, StringConstraints(strip_whitespace=True)] | None = Field(
        default=None, description="分支标签，如“是”“否”“通过”“不通过”（请加引号）。", examples=["通过"]
    )
    next: Slug = Field(description="这一结果之后的步骤的标识。")
    loop_back: bool = Field(default=False, description="是否为回退（如“退回修改”），回退连线在图中以虚线画出。")


class Step(BaseModel):
    model_config = zh_config("流程步骤。")

    id: Slug = _id("步骤")
    kind: StepKind = Field(default="task", description=f"步骤类型：{_choices(STEP_KIND_LABELS)}。")
    title: Text = Field(description="步骤名称（简短），显示在流程图的框里。", examples=["召开支委会研究"])
    role: Ref | None = Field(default=None, description="承担这一步的角色（标识或名称）；不写则为事项的责任主体。")
    phase: Slug | None = Field(default=None, description="所属阶段的标识。")
    description: Text | None = Field(default=None, description="工作内容：这一步具体做什么。")
    time_limit: Text | None = Field(default=None, description="时限，如“会后5个工作日内”。")
    time_from: Slug | None = Field(
        default=None,
        description="时限从哪一步算起（步骤的标识）；不写则从上一步算起。如“支部大会通过后3个月内”写支部大会那一步的标识。",
    )
    output: Text | None = Field(default=None, description="产出，如“会议记录”。")
    next: Slug | None = Field(default=None, description="下一步的标识（判断步骤改用 branches）。")
    loop_back: bool = Field(default=False, description="next 是否为回退到前面的步骤。")
    branches: list[Branch] = Field(default_factory=list, description="判断步骤的各个分支。")
    procedure: Slug | None = Field(default=None, description="子流程步骤调用的工作事项的标识。")
    basis: list[Citation] = Field(default_factory=list, description="这一步的依据。")
    rules: list[Slug] = Field(default_factory=list, description=RULES_DESCRIPTION)


class Phase(BaseModel):
    model_config = zh_config("阶段：把若干步骤归为一组。")

    id: Slug = _id("阶段")
    title: Text = Field(description="阶段名称，如“入党申请”。")


class Procedure(BaseModel):
    model_config = zh_config("工作流程：步骤、连线、判断和阶段。")

    phases: list[Phase] = Field(default_factory=list, description="阶段，按先后排列；没有阶段可不写。")
    steps: list[Step] = Field(min_length=2, description="步骤，按先后排列；第一步通常是开始步骤。")


class WorkItem(BaseModel):
    model_config = zh_config("工作事项：一项标准化工作。")

    id: Slug = _id("工作事项")
    title: Text = Field(description="事项名称。", examples=["三会一课"])
    summary: Text | None = Field(default=None, description="一句话概述。")
    requirement: Text = Field(description="工作要求：做什么、做到什么程度。")
    owner: Ref = Field(description="责任主体：角色的标识或名称。", examples=["branch-secretary"])
    participants: list[Ref] = Field(default_factory=list, description="参与或配合的角色（标识或名称）。")
    frequency: Frequency = Field(description=f"频次：{_choices(FREQUENCY_LABELS)}。")
    time_nodes: list[Text] = Field(
        default_factory=list, description="时间节点，照原文写，如“每月”“每年1月底前”“会后5个工作日内”。"
    )
    basis: list[Citation] = Field(default_factory=list, description="依据文件及条款。")
    rules: list[Slug] = Field(default_factory=list, description=RULES_DESCRIPTION)
    procedure: Procedure | None = Field(default=None, description="工作流程。")
    records: list[Text] = Field(default_factory=list, description="形成的台账或记录，如“会议记录”。")
    forms: list[Ref] = Field(default_factory=list, description="用到的记录表（标识或表名，见 modules/forms.yml）。")
    applies_to: dict[Ref, Emphasis] = Field(
        default_factory=dict,
        description="适用的支部类型及侧重：类型标识或名称: required（必做）/ emphasised（重点）/ optional（可选）。"
        "不写表示适用于全部类型、均为必做。",
        examples=[{"project": "emphasised"}],
    )
    audiences: list[Slug] = Field(default_factory=list, description="适用的读者对象标识；不写表示全部。")
    terms: list[Ref] = Field(default_factory=list, description="相关术语（标识或术语本身）。")
    related: list[Slug] = Field(default_factory=list, description="相关工作事项的标识。")
    sample: bool = Field(
        default=False, description="是否为示例：由本手册根据实践设计、法规没有直接规定的内容，采用时请结合本单位实际调整。"
    )


class SectionFile(BaseModel):
    model_config = zh_config("手册的一部分：模块、要素、任务或维度（文件名就是它的标识）。")

    title: Text = Field(description="名称，如“组织建设”。", examples=["组织建设"])
    kind: SectionKind = Field(description=f"类别：{_choices(SECTION_KIND_LABELS)}。")
    category: Text | None = Field(default=None, description="归类，如“共性要素”“个性要素”。")
    description: Text | None = Field(default=None, description="简介。")
    items: list[WorkItem] = Field(default_factory=list, description="本部分的工作事项。")


# ---------------------------------------------------------------- editions.yml


class Edition(BaseModel):
    model_config = zh_config("印刷版：一本手册按支部类型或读者对象筛选后印成的一本书。")

    id: Slug = _id("印刷版")
    handbook: Slug = Field(description="印哪一本手册（手册文件夹的名称）。", examples=["branch"])
    branch_type: Ref | None = Field(
        default=None, description="支部类型的标识或名称：只印共性内容和这一类型的作用发挥（党支部手册用）。"
    )
    audience: Slug | None = Field(default=None, description="读者对象的标识：只印适用于这一对象的内容（党员手册用）。")
    paper: Literal["A4", "A5"] = Field(default="A4", description="纸张：A4（默认）或 A5。")


class EditionsFile(BaseModel):
    model_config = zh_config("印刷版清单（modules/editions.yml）。")

    editions: list[Edition] = Field(min_length=1, description="全部印刷版，按下载页的顺序排列。")


# ---------------------------------------------------------------- diagrams/theme.yml


HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class ColourPair(BaseModel):
    model_config = zh_config("一组颜色：填充色和边框色。")

    fill: HexColour = Field(description="填充色，如 \"#fdecea\"（请加引号）。")
    stroke: HexColour = Field(description="边框和文字强调色，如 \"#a61b1b\"。")


class EmphasisStyle(BaseModel):
    model_config = zh_config("矩阵图中一种侧重程度的画法。")

    symbol: Text = Field(description="单元格里的符号，如“●”。")
    fill: HexColour = Field(description="单元格底色。")


class Theme(BaseModel):
    model_config = zh_config("图的统一样式（diagrams/theme.yml）。")

    font: Text = Field(description="字体名称，须支持中文，如 Noto Sans CJK SC。")
    font_size: float = Field(ge=6, le=24, description="正文字号（磅）。")
    small_font_size: float = Field(ge=5, le=20, description="小字字号（磅），用于角色、时限等说明。")
    wrap: int = Field(ge=4, le=40, description="每行最多的汉字数，超过自动换行。")
    ink: HexColour = Field(description="正文颜色。")
    muted: HexColour = Field(description="次要文字颜色。")
    line: HexColour = Field(description="连线颜色。")
    accent: HexColour = Field(description="强调色：只用于判断和回退。")
    background: HexColour = Field(description="背景色。")
    phase_fill: HexColour = Field(description="流程图中阶段底色。")
    role_groups: dict[RoleGroup, ColourPair] = Field(description="各角色类别的颜色。")
    emphasis: dict[Emphasis, EmphasisStyle] = Field(description="矩阵图中必做、重点、可选的画法。")


# ---------------------------------------------------------------- diagrams/<id>.yml


class SpecNode(BaseModel):
    model_config = zh_config("逻辑图中的一个框。")

    id: Slug = _id("框")
    label: Text = Field(description="框里的文字。")
    note: Text | None = Field(default=None, description="框里第二行的小字说明。")
    style: Literal["normal", "accent", "muted"] = Field(
        default="normal", description="样式：normal（普通）；accent（强调）；muted（次要）。"
    )
    group: Text | None = Field(default=None, description="分组名称：同组的框画在一个虚线框里。")
    handbook: Slug | None = Field(default=None, description="点击后打开的手册标识。")
    section: Ref | None = Field(default=None, description="点击后打开的手册部分（标识或名称）。")
    item: Slug | None = Field(default=None, description="点击后打开的工作事项标识。")
    page: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9/_-]*/?$")] | None = Field(
        default=None, description="点击后打开的其他页面，写站内路径，如 guide/。"
    )


class SpecEdge(BaseModel):
    model_config = zh_config("逻辑图中的一条连线。")

    from_: Slug = Field(alias="from", description="起点框的标识。")
    to: Slug = Field(description="终点框的标识。")
    label: Text | None = Field(default=None, description="连线上的文字。")
    loop_back: bool = Field(default=False, description="是否为回到前面的连线（画成虚线）。")


class DiagramSpec(BaseModel):
    model_config = zh_config("编辑者描述的逻辑图（diagrams/<标识>.yml，文件名就是图的标识）。")

    title: Text = Field(description="图的标题。")
    description: Text = Field(description="图的说明，供读屏软件和图注使用。")
    direction: Literal["LR", "TB"] = Field(default="LR", description="方向：LR（从左到右）；TB（从上到下）。")
    nodes: list[SpecNode] = Field(min_length=1, description="图中的框。")
    edges: list[SpecEdge] = Field(default_factory=list, description="图中的连线。")
