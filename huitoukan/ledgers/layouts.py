"""The four ledgers of seed 001 附件1-4: titles, header fields, columns in order, and the 说明.

Screens, Excel and Word all read these, so the official words live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerKind(models.TextChoices):
    LEADERSHIP = "leadership", _("领导班子整改落实工作台帐")
    PERSONAL = "personal", _("党员领导干部整改落实工作台帐")
    SPECIAL = "special", _("专项整治落实情况工作台帐")
    INSTITUTION = "institution", _("制度建设任务落实工作台帐")


@dataclass(frozen=True)
class Column:
    key: str  # the item attribute (or progress attribute) the column shows
    heading: str  # exactly as printed in the attachment
    width: int  # Excel column width in characters


@dataclass(frozen=True)
class Layout:
    kind: LedgerKind
    attachment: str  # 附件1 …
    title: str
    header_fields: tuple[str, ...]
    columns: tuple[Column, ...]
    notes: str  # the 说明 under the table, word for word

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]


SEQ = Column("seq", "序号", 5)
MEASURES = Column("measures", "具体整改措施", 30)
LEADERS = Column("lead_leaders", "牵头领导", 14)
UNITS = Column("responsible_units", "责任单位", 12)
NEXT_STEPS = Column("next_steps", "后段工作措施", 28)

LAYOUTS: dict[str, Layout] = {
    LedgerKind.LEADERSHIP: Layout(
        kind=LedgerKind.LEADERSHIP,
        attachment="附件1",
        title="领导班子整改落实工作台帐",
        header_fields=("单位", "填报时间"),
        columns=(
            SEQ,
            Column("problem", "突出问题", 28),
            MEASURES,
            Column("deadline", "整改时限", 14),
            LEADERS,
            UNITS,
            Column("progress", "整改落实情况", 30),
            NEXT_STEPS,
        ),
        notes="说明：1、领导班子存在的突出问题、具体整改措施、整改时限、牵头领导、责任单位根据领导班子整改问题清单逐项列出；"
        "2、整改落实情况和后段工作措施由承担分解责任的党员领导干部按工作分工填写，分项说明；"
        "3、由多名党员领导干部共同负责的具体问题同时列出，党员领导干部填报后，由各单位教育实践活动办公室综合；"
        "4、此表由各单位教育实践活动办公室汇总，并按程序逐级审阅，作为集中分析研究、公开通报依据。",
    ),
    LedgerKind.PERSONAL: Layout(
        kind=LedgerKind.PERSONAL,
        attachment="附件2",
        title="党员领导干部整改落实工作台帐",
        header_fields=("姓名", "职务", "填报时间"),
        columns=(
            SEQ,
            Column("problem", "“四风”方面突出问题", 30),
            MEASURES,
            Column("progress", "整改落实情况", 32),
            NEXT_STEPS,
        ),
        notes="说明：1、个人“四风”方面突出问题和具体整改措施根据党员领导干部个人整改问题清单逐项列出；"
        "2、整改落实情况和后段工作措施由党员领导干部自己填写；"
        "3、此表由各单位教育实践活动办公室汇总，并按程序逐级审阅，作为集中分析研究、公开通报依据。",
    ),
    LedgerKind.SPECIAL: Layout(
        kind=LedgerKind.SPECIAL,
        attachment="附件3",
        title="专项整治落实情况工作台帐",
        header_fields=("单位", "填报时间"),
        columns=(
            SEQ,
            Column("problem", "项目", 24),
            Column("measures", "任务目标", 30),
            LEADERS,
            UNITS,
            Column("progress", "专项整治工作进展情况", 32),
            NEXT_STEPS,
        ),
        notes="说明：1、项目、任务目标、牵头领导、责任单位根据中央、省委、市委和本单位专项整治工作要求逐项列出；"
        "2、专项整治工作进展情况和后段工作措施由承担分解责任的党员领导干部按工作分工填写，分项说明；"
        "3、由多名党员领导干部共同负责的项目同时列出，党员领导干部填报后，由各单位教育实践活动办公室综合；"
        "4、此表由各单位教育实践活动办公室汇总，并按程序逐级审阅，作为集中分析研究、公开通报依据。",
    ),
    LedgerKind.INSTITUTION: Layout(
        kind=LedgerKind.INSTITUTION,
        attachment="附件4",
        title="制度建设任务落实工作台帐",
        header_fields=("单位", "填报时间"),
        columns=(
            SEQ,
            Column("category", "类别", 10),
            Column("problem", "制度名称", 26),
            Column("deadline", "完成时限", 14),
            LEADERS,
            UNITS,
            Column("progress", "制度建设任务落实情况", 28),
            Column("strict_execution", "严格制度执行情况", 26),
            NEXT_STEPS,
        ),
        notes="说明：1、类别、制度名称、完成时限、牵头领导、责任单位根据中央、省委、市委和本单位专项整治工作要求逐项列出；"
        "2、制度建设任务完成情况、严格制度执行情况和后段工作措施由承担分解责任的党员领导干部按工作分工填写，分项说明；"
        "3、由多名党员领导干部共同负责的项目同时列出，党员领导干部填报后，由单位教育实践活动办公室综合；"
        "4、此表由各单位教育实践活动办公室汇总，并按程序逐级审阅，作为集中分析研究、公开通报依据。",
    ),
}

# The names people give a kind besides its title and 附件N, in commands, links and forms.
KIND_NAMES: dict[str, tuple[str, ...]] = {
    LedgerKind.LEADERSHIP: ("领导班子", "班子"),
    LedgerKind.PERSONAL: ("党员领导干部", "领导干部", "个人"),
    LedgerKind.SPECIAL: ("专项整治",),
    LedgerKind.INSTITUTION: ("制度建设",),
}
_CHINESE_DIGITS = {"1": "一", "2": "二", "3": "三", "4": "四"}


def kind_named(text: str) -> LedgerKind | None:
    """The kind `text` names exactly: its code, 附件N (附件一), its title (台账 or 台帐), or a short name."""
    value = "".join((text or "").split()).rstrip("：:")
    for kind, layout in LAYOUTS.items():
        digit = layout.attachment[-1]
        names = {kind.value, layout.attachment, f"附件{_CHINESE_DIGITS.get(digit, digit)}", layout.title,
                 layout.title.replace("台帐", "台账"), *KIND_NAMES[kind]}
        names |= {f"{n}台账" for n in KIND_NAMES[kind]} | {f"{n}台帐" for n in KIND_NAMES[kind]}
        if value in names:
            return LedgerKind(kind)
    return None


def kind_choices_text() -> str:
    """What a message lists as the accepted kinds."""
    return "、".join(f"{LAYOUTS[k].attachment}（{KIND_NAMES[k][0]}，{k.value}）" for k in LedgerKind)
