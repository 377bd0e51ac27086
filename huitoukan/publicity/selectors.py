"""Reads of the office's publication pages (the public site reads public_selectors only)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Ledger
from huitoukan.publicity.models import Publication, PublicationVersion


def publications_visible_to(*, user) -> QuerySet[Publication]:
    return (Publication.objects.filter(policy.units_q(user, Perm.WORK_VIEW, "unit__path"))
            .select_related("unit", "campaign", "ledger", "live_version").order_by("unit__path", "kind", "id"))


def publication_get_for(*, user, pk) -> Publication:
    """A publication in the reader's scope; 404 otherwise, as for one that does not exist."""
    publication = Publication.objects.select_related("unit", "campaign", "ledger", "bulletin", "live_version").filter(
        pk=pk).first()
    if publication is None or not policy.can(user, Perm.WORK_VIEW, publication.unit):
        raise Http404
    return publication


def version_get_for(*, user, pk) -> PublicationVersion:
    version = PublicationVersion.objects.select_related("publication__unit").filter(pk=pk).first()
    if version is None or not policy.can(user, Perm.WORK_VIEW, version.publication.unit):
        raise Http404
    return version


def publishable_ledgers(*, user) -> QuerySet[Ledger]:
    """The ledgers the user's office may publish: in its PUBLICITY_MANAGE scope, never a personal one."""
    return (Ledger.objects.filter(policy.units_q(user, Perm.PUBLICITY_MANAGE, "unit__path"))
            .exclude(kind=LedgerKind.PERSONAL).select_related("unit", "campaign").order_by("unit__path", "kind"))
