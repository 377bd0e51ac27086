"""Reads of 形式主义预警, scoped through formalism.rules (the policy's right over the flag's unit)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huitoukan.formalism import rules
from huitoukan.formalism.checks import TYPE_LABELS
from huitoukan.formalism.models import Flag, FlagKind
from huitoukan.ledgers.models import Evidence, Item
from huitoukan.orgs.models import Unit


def flags_for(*, user, campaign=None, kind: str = "", state: str = "", unit=None) -> QuerySet[Flag]:
    """The flags `user` may see, filtered; `unit`: that unit and everything under it."""
    flags = Flag.objects.filter(rules.flags_q(user)).select_related("unit", "campaign")
    if campaign is not None:
        flags = flags.filter(campaign=campaign)
    if kind:
        flags = flags.filter(kind=kind)
    if state:
        flags = flags.filter(state=state)
    if unit is not None:
        flags = flags.filter(unit__path__startswith=unit.path)
    return flags


def flag_get_for(*, user, pk) -> Flag:
    """A flag by id; absent and out of scope answer alike (404)."""
    flag = Flag.objects.filter(pk=pk).select_related("unit", "campaign", "decided_by", "finding").first()
    if flag is None:
        rules.require(user, None)
    rules.require(user, flag.unit)
    return flag


def flag_items(flag: Flag) -> list[Item]:
    return list(flag.items.select_related("ledger__unit").order_by("ledger__unit__path", "ledger_id", "seq"))


LABELS = {"sha256": gettext_lazy("SHA-256"), "size": gettext_lazy("大小（字节）"),
          "verified_at": gettext_lazy("核验销号时间"), "closed": gettext_lazy("有时限的已销号事项"),
          "on_deadline_day": gettext_lazy("时限当天销号"), "days": gettext_lazy("销号日期"),
          "similarity": gettext_lazy("相似度"), "deadline": gettext_lazy("时限"), "from": gettext_lazy("开始"),
          "to": gettext_lazy("结束"), "fraction": gettext_lazy("比例阈值"), "text": gettext_lazy("文字")}


def _moment(text: str) -> str:
    """A moment the check kept (ISO, UTC) as the sentences and pages say one: local time, to the minute."""
    return f"{timezone.localtime(dt.datetime.fromisoformat(text)):%Y-%m-%d %H:%M}"


# How a kept value reads on the page (others as they are): moments in local time, a share in per cent, the
# deadline days with their counts.
_SHOWN = {"verified_at": _moment, "from": _moment, "to": _moment, "fraction": lambda v: f"{v:.0%}",
          "days": lambda days: "、".join(_("%(day)s %(n)s个") % {"day": day, "n": n} for day, n in days.items())}


def _file(f: dict) -> str:
    """One file of the flag's own item (a late or a tiny one), in words."""
    parts = [_("佐证材料编号 %(id)s") % {"id": f["evidence"]}]
    if "uploaded_at" in f:
        parts.append(_("上传于%(at)s") % {"at": _moment(f["uploaded_at"])})
    if "size" in f:
        parts.append(_("%(size)s字节") % {"size": f["size"]})
    if f.get("norm"):
        parts.append(_("同类%(type)s中位数%(norm)s字节") % {"type": TYPE_LABELS.get(f.get("type"), f.get("type", "")),
                                                     "norm": f["norm"]})
    return f"{f.get('name', '—')}（{'，'.join(parts)}）"


def other_units(user, flag: Flag, shared: list[tuple[int, int]]) -> list[str]:
    """The other units a flag's file or text is shared with, as the reader may see them: a unit's name with its
    count of items where the reader may read its work (formalism.rules.may_name), else only that there is one.
    `shared`: (unit id, item id) of every file or text the check found."""
    items = Counter(unit for unit, _item in set(shared) if unit != flag.unit_id)
    units = Unit.objects.in_bulk(list(items))
    named, hidden = [], 0
    for pk in sorted(items):
        unit = units.get(pk)
        if unit is not None and rules.may_name(user, unit):
            named.append(_("%(unit)s：%(n)s个事项") % {"unit": unit.full_name, "n": items[pk]})
        else:
            hidden += 1
    return named + [_("另一单位的事项（无权查看）")] * hidden


def evidence_rows(flag: Flag, user) -> list[tuple[str, object]]:
    """What the check found, as label and value for the flag's page, with only what `user` may see: the flag's
    own unit's files by name; the other units by name where the reader may read their work, else unnamed."""
    data, rows = flag.evidence or {}, []
    for key, label in LABELS.items():
        if key in data:
            rows.append((label, _SHOWN.get(key, str)(data[key])))
    files = data.get("files", [])
    if flag.kind == FlagKind.EVIDENCE_REUSED:
        own = [f for f in files if f.get("unit") == flag.unit_id]
        names = dict(Evidence.objects.filter(pk__in=[f["evidence"] for f in own], item__ledger__unit_id=flag.unit_id)
                     .values_list("pk", "original_name"))
        rows.extend((_("本单位文件"), _("%(name)s（佐证材料编号 %(id)s，事项编号 %(item)s）") % {
            "name": names.get(f["evidence"], "—"), "id": f["evidence"], "item": f["item"]}) for f in own)
        rows.extend((_("其他单位"), label) for label in other_units(user, flag, [(f["unit"], f["item"]) for f in files]))
    else:  # the files of one item of the flag's own unit (late, tiny)
        rows.extend((_("文件"), _file(f)) for f in files)
    if flag.kind == FlagKind.TEXT_ALIKE:
        rows.extend((_("雷同单位"), label) for label in other_units(
            user, flag, [(d["unit"], d["item"]) for d in data.get("docs", [])]))
    if "units" in data:
        rows.append((_("涉及单位数"), len(data["units"])))
    if "docs" in data:
        rows.append((_("雷同条数"), len(data["docs"])))
    if "entries" in data:
        rows.append((_("进展条数"), len(data["entries"])))
    return rows
