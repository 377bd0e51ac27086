"""Reads of 回头看复查, scoped like the items they follow: the reader's WORK_VIEW scope, and the items a reader
leads (as `ledgers.selectors.item_get_for` lets a lead leader read them)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.ledgers import selectors as ledger_selectors
from huitoukan.ledgers.models import ItemStatus
from huitoukan.rechecks.models import Recheck, RecheckState
from huitoukan.rechecks.services import OVERDUE_DAYS

# The list's tabs: (key, label) in the order shown.
TABS = [("due", _("待复查")), ("overdue", _("逾期未复查")), ("upcoming", _("未到期")), ("done", _("已复查")),
        ("cancelled", _("已撤销"))]


def rechecks_for(*, user) -> QuerySet[Recheck]:
    """Every recheck of an item the reader may read."""
    q = policy.units_q(user, Perm.WORK_VIEW, "item__ledger__unit__path")
    persons = policy.persons_of(user)
    if persons:
        q |= Q(item__lead_leaders__in=persons)
    return (Recheck.objects.filter(pk__in=Recheck.objects.filter(q).values("pk"))
            .select_related("item__ledger__unit", "item__ledger__campaign", "decided_by"))


def in_tab(rechecks: QuerySet[Recheck], tab: str, today: dt.date) -> QuerySet[Recheck]:
    pending = rechecks.filter(state=RecheckState.PENDING, item__status=ItemStatus.CLOSED)
    late = today - dt.timedelta(days=OVERDUE_DAYS)
    if tab == "overdue":
        return pending.filter(due_on__lt=late).order_by("due_on", "pk")
    if tab == "upcoming":
        return pending.filter(due_on__gt=today).order_by("due_on", "pk")
    if tab == "done":
        return rechecks.filter(state__in=(RecheckState.CONFIRMED, RecheckState.FAILED)).order_by("-decided_at", "-pk")
    if tab == "cancelled":
        return rechecks.filter(state=RecheckState.CANCELLED).order_by("-due_on", "-pk")
    return pending.filter(due_on__lte=today).order_by("due_on", "pk")  # due: overdue ones included, oldest first


def tab_counts(rechecks: QuerySet[Recheck], today: dt.date) -> dict[str, int]:
    return {key: in_tab(rechecks, key, today).count() for key, _label in TABS}


def recheck_get_for(*, user, pk) -> Recheck:
    """One recheck, to whoever may read its item; 404 alike for an absent one and one out of scope."""
    try:
        recheck = Recheck.objects.select_related("decided_by").get(pk=pk)
    except (Recheck.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    recheck.item = ledger_selectors.item_get_for(user=user, pk=recheck.item_id)
    return recheck


def rechecks_of_item(item) -> list[Recheck]:
    """An item's rechecks, every closing's, newest closing first (the reader already reads the item)."""
    return list(item.rechecks.select_related("decided_by").prefetch_related("evidence").order_by(
        "-closed_on", "round_months"))
