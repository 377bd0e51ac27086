"""Readable change history (who, when, before, after) from django-simple-history records."""

from __future__ import annotations

from dataclasses import dataclass, field
from heapq import merge

from django.db import models
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
# Storage columns that mean nothing to a reader.
HIDDEN_FIELDS = {"path", "depth", "numchild", "updated_at", "created_at", "id"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: object
    user: str
    action: str
    reason: str
    subject: str
    model: str
    changes: list[Change] = field(default_factory=list)


def _display(record, field_obj: models.Field, value) -> str:
    if value is None or value == "":
        return "—"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(field_obj, models.ForeignKey):
        related = field_obj.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(field_obj, models.BooleanField):
        return str(_("是") if value else _("否"))
    return str(value)


def entry_for(record) -> Entry:
    model = record.instance_type
    changes: list[Change] = []
    prev = record.prev_record
    if record.history_type == "~" and prev is not None:
        delta = record.diff_against(prev)
        for change in delta.changes:
            if change.field in HIDDEN_FIELDS:
                continue
            field_obj = model._meta.get_field(change.field)
            if isinstance(field_obj, models.ManyToManyField):
                old = "、".join(str(v) for v in change.old) if change.old else "—"
                new = "、".join(str(v) for v in change.new) if change.new else "—"
                changes.append(Change(str(field_obj.verbose_name), old, new))
                continue
            changes.append(
                Change(str(field_obj.verbose_name), _display(record, field_obj, change.old),
                       _display(record, field_obj, change.new))
            )
    elif record.history_type == "+":
        for field_obj in model._meta.concrete_fields:
            if field_obj.attname in HIDDEN_FIELDS or field_obj.name in HIDDEN_FIELDS:
                continue
            value = getattr(record, field_obj.attname, None)
            if value in (None, "", False, [], {}):
                continue
            changes.append(Change(str(field_obj.verbose_name), "", _display(record, field_obj, value)))
    user = record.history_user.get_username() if record.history_user_id and record.history_user else str(_("命令行"))
    return Entry(
        at=record.history_date,
        user=user,
        action=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
        reason=record.history_change_reason or "",
        subject=str(record.instance),
        model=str(model._meta.verbose_name),
        changes=changes,
    )


def entries(*querysets, limit: int = 500) -> list[Entry]:
    """Newest first, across several history tables."""
    streams = [qs.select_related("history_user").order_by("-history_date")[:limit] for qs in querysets]
    merged = merge(*streams, key=lambda r: r.history_date, reverse=True)
    result = []
    for record in merged:
        result.append(entry_for(record))
        if len(result) >= limit:
            break
    return result
