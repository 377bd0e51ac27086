"""Reads of 形式主义预警, scoped through formalism.rules (the policy's right over the flag's unit)."""

from __future__ import annotations

from django.db.models import QuerySet

from huitoukan.formalism import rules
from huitoukan.formalism.models import Flag
from huitoukan.ledgers.models import Item


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
