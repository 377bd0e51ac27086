"""Writes of the publication side: choose what a unit shows the public, preview it redacted, publish a frozen
version, withdraw it; and the campaign's 公开设置.

The office of the publishing unit, or of a unit above it, acts (PUBLICITY_MANAGE). A publish builds the
content again and refuses it unless it is exactly what the office last previewed (same digest), so nothing
unreviewed goes out; every publish and withdrawal moves the public site's epoch in the same transaction, so
no process serves a cached page of a withdrawn version.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Item, Ledger
from huitoukan.publicity import content as publication_content
from huitoukan.publicity.content import Built
from huitoukan.publicity.errors import PublicityError, PublicityErrorCode
from huitoukan.publicity.models import (
    Bulletin,
    Commitment,
    Publication,
    PublicationKind,
    PublicationState,
    PublicationVersion,
    PublicityPolicy,
    PublicSiteEpoch,
)

E = PublicityErrorCode
S = PublicationState

# (state, action) -> the next state of a publication: the one place its state may change. Publishing again
# replaces the live version; a withdrawn one may be published again (as a new version).
PUBLICATION_MOVES: dict[tuple[str, str], str] = {
    (S.DRAFT, "publish"): S.PUBLISHED,
    (S.PUBLISHED, "publish"): S.PUBLISHED,
    (S.WITHDRAWN, "publish"): S.PUBLISHED,
    (S.PUBLISHED, "withdraw"): S.WITHDRAWN,
}


def _moved(publication: Publication, action: str) -> str:
    after = PUBLICATION_MOVES.get((publication.state, action))
    if after is None:
        raise PublicityError(E.NOT_PUBLISHED, title=publication.title)
    return after

_LIST_NAMES = {
    LedgerKind.LEADERSHIP: "领导班子整改落实清单",
    LedgerKind.SPECIAL: "专项整治落实情况清单",
    LedgerKind.INSTITUTION: "制度建设任务落实清单",
}


def _save(obj, actor, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason[:100]
    obj.save()


def epoch_bump() -> None:
    """Move the public site's epoch (inside the caller's transaction)."""
    if not PublicSiteEpoch.objects.filter(pk=1).update(n=F("n") + 1):
        PublicSiteEpoch.objects.create(pk=1, n=1)


def default_title(*, unit, kind: str, ledger: Ledger | None = None, bulletin: Bulletin | None = None) -> str:
    if kind == PublicationKind.LEDGER:
        return f"{unit.name}{_LIST_NAMES.get(ledger.kind, '')}"
    if kind == PublicationKind.COMMITMENTS:
        return f"{unit.name}公开承诺"
    return bulletin.title


@transaction.atomic
def publication_create(*, actor, kind: str, ledger: Ledger | None = None, unit=None, campaign=None,
                       bulletin: Bulletin | None = None) -> Publication:
    """The draft publication of a ledger, of a unit's 公开承诺 in a campaign, or of a 通报; the existing one if
    there is one already. Nothing is chosen and nothing is public until the office publishes."""
    if kind == PublicationKind.LEDGER:
        unit, campaign = ledger.unit, ledger.campaign
        if ledger.kind == LedgerKind.PERSONAL:
            policy.require(actor, Perm.PUBLICITY_MANAGE, unit)
            raise PublicityError(E.PERSONAL_LEDGER)
        existing = Publication.objects.filter(ledger=ledger).first()
    elif kind == PublicationKind.COMMITMENTS:
        existing = Publication.objects.filter(unit=unit, campaign=campaign, kind=kind).first()
    else:
        unit, campaign = bulletin.unit, bulletin.campaign
        existing = Publication.objects.filter(bulletin=bulletin).first()
    policy.require(actor, Perm.PUBLICITY_MANAGE, unit)
    if existing is not None:
        return existing
    publication = Publication(unit=unit, campaign=campaign, kind=kind, ledger=ledger, bulletin=bulletin,
                              created_by=actor,
                              title=default_title(unit=unit, kind=kind, ledger=ledger, bulletin=bulletin))
    _save(publication, actor, _("新建公开事项"))
    return publication


def _chosen_items(publication: Publication, item_ids: Iterable[int]) -> list[int]:
    ids = sorted({int(pk) for pk in item_ids})
    found = set(Item.objects.filter(pk__in=ids, ledger=publication.ledger).values_list("pk", flat=True))
    for pk in ids:
        if pk not in found:
            raise PublicityError(E.ITEM_NOT_OF_LEDGER, pk=pk, ledger=str(publication.ledger))
    return ids


@transaction.atomic
def publication_choose(*, actor, publication: Publication, item_ids: Iterable[int] = (), title: str,
                       extra_redactions: str = "") -> Publication:
    """What the next version will show: the chosen items, the title, the words to hide as well. The live
    version, if any, stays as it is until the office publishes again."""
    policy.require(actor, Perm.PUBLICITY_MANAGE, publication.unit)
    title = (title or "").strip()
    if not title:
        raise PublicityError(E.TITLE_REQUIRED)
    publication.title = title[:200]
    publication.extra_redactions = (extra_redactions or "").strip()
    _save(publication, actor, _("修改公开内容"))
    if publication.kind == PublicationKind.LEDGER:
        ids = _chosen_items(publication, item_ids)
        if set(ids) != set(publication.items.values_list("pk", flat=True)):
            publication.items.set(ids)
            _save(publication, actor, _("选择公开事项"))  # the history's m2m snapshot after the change
    return publication


def publication_preview(*, actor, publication: Publication) -> Built:
    """The redacted content as it would go out now (the same builder the publish runs)."""
    policy.require(actor, Perm.PUBLICITY_MANAGE, publication.unit)
    return publication_content.build(publication)


@transaction.atomic
def publication_publish(*, actor, publication: Publication, digest: str) -> PublicationVersion:
    """Publish what the office previewed: refused if the content has changed since (another digest)."""
    policy.require(actor, Perm.PUBLICITY_MANAGE, publication.unit)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    built = publication_content.build(publication)
    if built.digest != digest:
        raise PublicityError(E.PREVIEW_STALE)
    live = publication.live_version
    if publication.state == PublicationState.PUBLISHED and live is not None and live.digest == built.digest:
        return live  # published twice: the same version, not a second one
    number = (publication.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PublicationVersion(publication=publication, number=number, content=built.text, digest=built.digest,
                                 published_by=actor, published_at=timezone.now())
    _save(version, actor, _("发布"))
    publication.live_version = version
    publication.state = _moved(publication, "publish")
    _save(publication, actor, _("发布第%(n)s版") % {"n": number})
    epoch_bump()
    return version


@transaction.atomic
def publication_withdraw(*, actor, publication: Publication, reason: str) -> Publication:
    """Take the live version down (it stays in the record, marked withdrawn, with the reason)."""
    policy.require(actor, Perm.PUBLICITY_MANAGE, publication.unit)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    after = _moved(publication, "withdraw")
    reason = (reason or "").strip()
    if not reason:
        raise PublicityError(E.REASON_REQUIRED)
    version = publication.live_version
    version.withdrawn_by, version.withdrawn_at, version.withdraw_reason = actor, timezone.now(), reason
    _save(version, actor, _("撤回"))
    publication.state, publication.live_version = after, None
    _save(publication, actor, _("撤回：%(reason)s") % {"reason": reason})
    epoch_bump()
    return publication


@transaction.atomic
def publicity_policy_set(*, actor, campaign, leaders_public: bool) -> PublicityPolicy:
    """The campaign's 公开设置, kept by whoever manages the campaign. Live versions keep what they showed until
    they are published again."""
    policy.require(actor, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)
    setting = PublicityPolicy.objects.filter(campaign=campaign).first() or PublicityPolicy(campaign=campaign)
    setting.leaders_public = leaders_public
    setting.updated_by = actor
    _save(setting, actor, _("修改公开设置"))
    return setting


@transaction.atomic
def commitment_save(*, actor, unit, campaign, content: str, status: str, due_on=None, progress: str = "",
                    commitment: Commitment | None = None) -> Commitment:
    """A new 公开承诺 of the unit (numbered after its last), or a change to one. What the public sees changes
    only when the office publishes the unit's 公开承诺 again."""
    unit = commitment.unit if commitment is not None else unit
    policy.require(actor, Perm.PUBLICITY_MANAGE, unit)
    if not (content or "").strip():
        raise PublicityError(E.COMMITMENT_REQUIRED)
    if commitment is None:
        last = Commitment.objects.filter(unit=unit, campaign=campaign).aggregate(n=Max("seq"))["n"] or 0
        commitment = Commitment(unit=unit, campaign=campaign, seq=last + 1)
    commitment.content, commitment.status, commitment.due_on = content.strip(), status, due_on
    commitment.progress, commitment.updated_by = (progress or "").strip(), actor
    _save(commitment, actor, _("修改公开承诺") if commitment.pk else _("新增公开承诺"))
    return commitment


@transaction.atomic
def bulletin_save(*, actor, unit, campaign, title: str, issued_on, body: str, doc_number: str = "",
                  bulletin: Bulletin | None = None) -> Bulletin:
    """A 通报 for the public, written by the office; public once published (publication kind 通报)."""
    unit = bulletin.unit if bulletin is not None else unit
    policy.require(actor, Perm.PUBLICITY_MANAGE, unit)
    if not (title or "").strip() or not (body or "").strip():
        raise PublicityError(E.BULLETIN_REQUIRED)
    if bulletin is None:
        bulletin = Bulletin(unit=unit, campaign=campaign, created_by=actor)
    bulletin.title, bulletin.issued_on, bulletin.body = title.strip(), issued_on, body.strip()
    bulletin.doc_number = (doc_number or "").strip()
    _save(bulletin, actor, _("修改通报") if bulletin.pk else _("起草通报"))
    return bulletin
