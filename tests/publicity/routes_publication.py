"""Route × role rows of the publication pages and the public site (merged into tests/test_route_table.py).

Each side's county (涟源市 / 娄星区) has its 领导班子 ledger published with the side's item (`publication`,
live version `publication_version`), and a 专项整治 ledger nobody has published yet (`unpublished_ledger`).
The county's own office publishes; every business role of 涟源市 reads the office pages; the public pages
answer everybody, logged in or not.
"""

from __future__ import annotations

import datetime as dt

from huitoukan.access.models import Role
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.publicity import content, services
from huitoukan.publicity.models import (
    Bulletin,
    Commitment,
    Publication,
    PublicationKind,
    PublicationState,
    PublicityPolicy,
)
from tests.conftest import user_create
from tests.route_types import ALL_ROLES, BUSINESS, SIDE_BUILDERS, Route

OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
EVERYBODY = frozenset(ALL_ROLES)


def _build(inn, out, users, tree):
    out.publicity_office = user_create(Role.CAMPAIGN_OFFICE, out.county, username="publicity_office_out")
    inn.publicity_office = users[Role.CAMPAIGN_OFFICE]
    for side in (inn, out):
        office = side.publicity_office
        publication = services.publication_create(actor=office, kind=PublicationKind.LEDGER, ledger=side.ledger)
        services.publication_choose(actor=office, publication=publication, item_ids=[side.item.pk],
                                    title=publication.title)
        built = services.publication_preview(actor=office, publication=publication)
        side.publication_version = services.publication_publish(actor=office, publication=publication,
                                                                 digest=built.digest)
        side.publication = Publication.objects.get(pk=publication.pk)
        side.unpublished_ledger = ledger_services.ledger_open(actor=office, campaign=side.campaign, unit=side.county,
                                                              kind=LedgerKind.SPECIAL)


SIDE_BUILDERS.append(_build)


def _created(s, response) -> bool:
    return Publication.objects.filter(ledger=s.unpublished_ledger).exists()


def _chosen(s, response) -> bool:
    return Publication.objects.get(pk=s.publication.pk).title == "涟源市整改清单（修订）"


def _republished(s, response) -> bool:
    return Publication.objects.get(pk=s.publication.pk).live_version.number == 2


def _withdrawn(s, response) -> bool:
    return Publication.objects.get(pk=s.publication.pk).state == PublicationState.WITHDRAWN


def _changed_digest(s) -> dict:
    # A new title makes new content: the publish makes version 2 of what this digest previews.
    publication = Publication.objects.get(pk=s.publication.pk)
    publication.title = "涟源市整改清单（第二版）"
    publication.save()
    return {"digest": content.build(publication).digest}


ROUTES: dict = {
    ("publicity-index", "GET"): Route(lambda s: "/publicity/", BUSINESS, out=False),
    ("publication-create", "GET"): Route(lambda s: f"/publicity/new/?ledger={s.unpublished_ledger.pk}", OFFICE,
                                         readers=BUSINESS),
    ("publication-create", "POST"): Route(lambda s: "/publicity/new/", OFFICE, readers=BUSINESS, ok_status=302,
                                          body=lambda s: {"ledger": s.unpublished_ledger.pk}, done=_created),
    ("publication-detail", "GET"): Route(lambda s: f"/publicity/{s.publication.pk}/", BUSINESS),
    ("publication-choose", "POST"): Route(
        lambda s: f"/publicity/{s.publication.pk}/choose/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {"title": "涟源市整改清单（修订）", "items": [s.item.pk], "extra_redactions": ""}, done=_chosen),
    ("publication-publish", "POST"): Route(lambda s: f"/publicity/{s.publication.pk}/publish/", OFFICE,
                                           readers=BUSINESS, ok_status=302, body=_changed_digest, done=_republished),
    ("publication-withdraw", "POST"): Route(lambda s: f"/publicity/{s.publication.pk}/withdraw/", OFFICE,
                                            readers=BUSINESS, ok_status=302, body=lambda s: {"reason": "内容有误"},
                                            done=_withdrawn),
    ("publication-version", "GET"): Route(lambda s: f"/publicity/versions/{s.publication_version.pk}/", BUSINESS),
    ("publicity-policy", "GET"): Route(lambda s: f"/publicity/campaigns/{s.campaign.pk}/policy/", OFFICE,
                                       readers=BUSINESS),
    ("publicity-policy", "POST"): Route(
        lambda s: f"/publicity/campaigns/{s.campaign.pk}/policy/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {"leaders_public": "on"},
        done=lambda s, r: PublicityPolicy.objects.filter(campaign=s.campaign, leaders_public=True).exists()),
    # The public site: the same answer to everybody; out of scope means nothing there.
    ("public-index", "GET"): Route(lambda s: "/gongkai/", EVERYBODY, public=True, out=False),
    ("public-unit", "GET"): Route(lambda s: f"/gongkai/u/{s.county.pk}/", EVERYBODY, public=True, out=False),
    ("public-publication", "GET"): Route(lambda s: f"/gongkai/p/{s.publication.pk}/", EVERYBODY, public=True,
                                         out=False),
    ("public-data", "GET"): Route(lambda s: f"/gongkai/u/{s.county.pk}/subtree.csv", EVERYBODY, public=True,
                                  out=False),
}


def _build_commitments(inn, out, users, tree):
    for side in (inn, out):
        office = side.publicity_office
        side.commitment = services.commitment_save(actor=office, unit=side.county, campaign=side.campaign,
                                                   content="一个月内清理规范办事窗口", status="in_progress")
        side.bulletin = services.bulletin_save(actor=office, unit=side.county, campaign=side.campaign,
                                               title="关于整改进展情况的通报", issued_on=dt.date(2015, 1, 20),
                                               body="全市整改工作有序推进。")


SIDE_BUILDERS.append(_build_commitments)


def _commitment_path(s) -> str:
    return f"/publicity/commitments/?unit={s.county.pk}&campaign={s.campaign.pk}"


_COMMITMENT = {"content": "三个月内完成窗口改造", "status": "in_progress", "due_on": "2015-03-31", "progress": ""}
_BULLETIN = {"title": "第二期整改通报", "issued_on": "2015-02-01", "body": "各单位整改推进情况如下。", "doc_number": ""}

ROUTES.update({
    ("commitment-list", "GET"): Route(_commitment_path, BUSINESS),
    ("commitment-create", "POST"): Route(
        lambda s: f"/publicity/commitments/new/?unit={s.county.pk}&campaign={s.campaign.pk}", OFFICE,
        readers=BUSINESS, ok_status=302, body=lambda s: dict(_COMMITMENT),
        done=lambda s, r: Commitment.objects.filter(unit=s.county, content=_COMMITMENT["content"]).exists()),
    ("commitment-edit", "GET"): Route(lambda s: f"/publicity/commitments/{s.commitment.pk}/edit/", OFFICE,
                                      readers=BUSINESS),
    ("commitment-edit", "POST"): Route(
        lambda s: f"/publicity/commitments/{s.commitment.pk}/edit/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {**_COMMITMENT, "status": "done"},
        done=lambda s, r: Commitment.objects.get(pk=s.commitment.pk).status == "done"),
    ("bulletin-list", "GET"): Route(lambda s: "/publicity/bulletins/", BUSINESS, out=False),
    ("bulletin-create", "GET"): Route(lambda s: "/publicity/bulletins/new/", OFFICE, readers=BUSINESS, out=False),
    ("bulletin-create", "POST"): Route(
        lambda s: "/publicity/bulletins/new/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {**_BULLETIN, "unit": s.county.pk, "campaign": s.campaign.pk},
        done=lambda s, r: Bulletin.objects.filter(unit=s.county, title=_BULLETIN["title"]).exists()),
    ("bulletin-edit", "GET"): Route(lambda s: f"/publicity/bulletins/{s.bulletin.pk}/edit/", BUSINESS),
    ("bulletin-edit", "POST"): Route(
        lambda s: f"/publicity/bulletins/{s.bulletin.pk}/edit/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: dict(_BULLETIN),
        done=lambda s, r: Bulletin.objects.get(pk=s.bulletin.pk).title == _BULLETIN["title"]),
})
