"""Readable change history (who, when, before, after) from django-simple-history records.

A page of entries costs a fixed number of queries: each history table is read once for the
page, once more for the records just before them, and foreign keys are loaded in batches.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from heapq import merge

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
# Storage columns that mean nothing to a reader.
HIDDEN_FIELDS = frozenset({"path", "depth", "numchild", "updated_at", "created_at", "id"})


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


def actor_label(user) -> str:
    """How an actor reads in history, timelines and logs: the person's name with the login, or the login.

    None is a change made by the system itself (the demo loader, the first set-up of the tree).
    """
    if user is None:
        return str(_("系统初始化"))
    person = getattr(user, "person", None)  # the reverse one-to-one raises AttributeError when absent
    login = user.get_username()
    return f"{person.name}（{login}）" if person is not None else login


def _fields(model, hidden: frozenset[str]):
    return [f for f in model._meta.concrete_fields if f.name not in hidden and f.attname not in hidden]


def _display(field_obj: models.Field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(field_obj, models.ForeignKey):
        obj = related.get((field_obj.related_model, value))
        if obj is not None and field_obj.related_model is get_user_model():
            return actor_label(obj)  # a login reads as its person's name, as the history's own actor does
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(field_obj, models.DateTimeField):
        return date_format(timezone.localtime(value), "Y-m-d H:i")  # the reader's time, to the minute
    if isinstance(field_obj, models.BooleanField):
        return str(_("是") if value else _("否"))
    return str(value)


def _previous_records(history_model, records) -> dict:
    """history_id → the record of the same object just before it, in one query per table."""
    if not records:
        return {}
    ids = {r.id for r in records}
    oldest = min(r.history_date for r in records)
    by_object = defaultdict(list)
    all_records = history_model.objects.filter(id__in=ids).order_by("history_date", "history_id")
    # Records older than the page matter only as the predecessor of the page's oldest ones.
    earlier = {}
    for rec in all_records:
        if rec.history_date < oldest:
            earlier[rec.id] = rec
        else:
            by_object[rec.id].append(rec)
    previous = {}
    for object_id, recs in by_object.items():
        prev = earlier.get(object_id)
        for rec in recs:
            previous[rec.history_id] = prev
            prev = rec
    return previous


def _related_objects(pairs) -> dict:
    """{(model, pk): object} for every foreign key value shown, one query per related model."""
    wanted = defaultdict(set)
    for model, pk in pairs:
        wanted[model].add(pk)
    found = {}
    for model, pks in wanted.items():
        found_qs = model._default_manager.filter(pk__in=pks)
        if model is get_user_model():
            found_qs = found_qs.select_related("person")
        for obj in found_qs:
            found[(model, obj.pk)] = obj
    return found


def _entry(record, prev, hidden: frozenset[str], related: dict) -> Entry:
    model = record.instance_type
    changes: list[Change] = []
    if record.history_type == "~" and prev is not None:
        for field_obj in _fields(model, hidden):
            old, new = getattr(prev, field_obj.attname, None), getattr(record, field_obj.attname, None)
            if old != new:
                changes.append(Change(str(field_obj.verbose_name), _display(field_obj, old, related),
                                      _display(field_obj, new, related)))
    elif record.history_type == "+":
        for field_obj in _fields(model, hidden):
            value = getattr(record, field_obj.attname, None)
            if value in (None, "", False, [], {}):
                continue
            changes.append(Change(str(field_obj.verbose_name), "", _display(field_obj, value, related)))
    user = actor_label(record.history_user if record.history_user_id else None)
    return Entry(
        at=record.history_date,
        user=user,
        action=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
        reason=record.history_change_reason or "",
        subject=_subject(model, record, related),
        model=str(model._meta.verbose_name),
        changes=changes,
    )


def _subject(model, record, related) -> str:
    for name in ("full_name", "name"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return f"{model._meta.verbose_name} #{record.id}"


def entries(*querysets, limit: int = 200, hidden: frozenset[str] = frozenset()) -> list[Entry]:
    """Newest first, across several history tables; `hidden` names fields the reader may not see."""
    hidden = HIDDEN_FIELDS | hidden
    pages = [list(qs.select_related("history_user__person").order_by("-history_date")[:limit]) for qs in querysets]
    previous = {}
    for qs, page in zip(querysets, pages, strict=True):
        previous.update(_previous_records(qs.model, page))
    chosen = list(merge(*pages, key=lambda r: r.history_date, reverse=True))[:limit]
    pairs = []
    for record in chosen:
        for rec in (record, previous.get(record.history_id)):
            if rec is None:
                continue
            for field_obj in _fields(record.instance_type, hidden):
                if isinstance(field_obj, models.ForeignKey):
                    value = getattr(rec, field_obj.attname, None)
                    if value is not None:
                        pairs.append((field_obj.related_model, value))
    related = _related_objects(pairs)
    return [_entry(record, previous.get(record.history_id), hidden, related) for record in chosen]
