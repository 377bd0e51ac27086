"""Publishing a unit's rectification list: chosen items only, redacted, frozen, withdrawable."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from huitoukan.access.models import Role
from huitoukan.access.policy import Denied, Forbidden
from huitoukan.publicity import services
from huitoukan.publicity.errors import PublicityError
from huitoukan.publicity.models import (
    Publication,
    PublicationKind,
    PublicationState,
    PublicationVersion,
)
from tests.conftest import built_once, user_create
from tests.publicity.publication_world import (
    HIDDEN_PROBLEM,
    ID_NUMBER,
    LEADER,
    ORDINARY,
    PHONE,
    SECRETS,
    WITHDRAWN_PROBLEM,
    build_world,
    publish,
)


@pytest.fixture(scope="module")
def publication_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(publication_world, db):
    return publication_world


def _page(path: str) -> tuple[int, str]:
    response = Client().get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode()


def test_published_list_shows_the_chosen_item_redacted(w):
    status, body = _page(f"/gongkai/u/{w.tree.lianyuan.pk}/")
    assert status == 200
    assert "群众反映办事难，张某同志牵头整改" in body
    assert "〔电话已隐去〕" in body and "〔身份证号已隐去〕" in body
    assert "已整改，〔已隐去〕表示满意" in body
    for secret in SECRETS:
        assert secret not in body


def test_the_frozen_version_holds_only_the_redacted_text(w):
    content = w.publication.live_version.content
    assert json.loads(content)["rows"][0]["problem"].startswith("群众反映办事难")
    for secret in (LEADER, ORDINARY, PHONE, ID_NUMBER, HIDDEN_PROBLEM):
        assert secret not in content


def test_leaders_names_and_posts_go_public_only_where_the_campaign_says_so(w):
    services.publicity_policy_set(actor=w.city_office, campaign=w.campaign, leaders_public=True)
    # The live version keeps what it showed until it is published again.
    assert LEADER not in _page(f"/gongkai/p/{w.publication.pk}/")[1]
    publish(w.office, w.publication)
    body = _page(f"/gongkai/p/{w.publication.pk}/")[1]
    assert f"{LEADER}（市委书记）" in body
    assert f"{LEADER}同志牵头整改" in body
    assert PHONE not in body and ORDINARY not in body


def test_the_personal_ledger_is_never_published(w):
    with pytest.raises(PublicityError) as refused:
        services.publication_create(actor=w.office, kind=PublicationKind.LEDGER, ledger=w.personal)
    assert "只在本单位内公开" in refused.value.message


def test_a_publish_refuses_content_changed_since_the_preview(w):
    before = services.publication_preview(actor=w.office, publication=w.publication)
    services.publication_choose(actor=w.office, publication=w.publication, item_ids=[w.shown.pk, w.hidden.pk],
                                title=w.publication.title, extra_redactions=ORDINARY)
    with pytest.raises(PublicityError) as refused:
        services.publication_publish(actor=w.office, publication=w.publication, digest=before.digest)
    assert "重新预览" in refused.value.message
    assert HIDDEN_PROBLEM not in _page(f"/gongkai/u/{w.tree.lianyuan.pk}/")[1]


def test_publishing_the_same_content_twice_makes_one_version(w):
    version = publish(w.office, w.publication)
    assert version.pk == w.publication.live_version_id
    assert PublicationVersion.objects.filter(publication=w.publication).count() == 1


def test_a_withdrawal_takes_the_pages_and_the_data_down_at_once(w):
    assert _page(f"/gongkai/u/{w.tree.lianyuan.pk}/")[0] == 200  # cached now
    services.publication_withdraw(actor=w.office, publication=w.publication, reason="发现错别字")
    assert _page(f"/gongkai/u/{w.tree.lianyuan.pk}/")[0] == 404
    assert _page(f"/gongkai/p/{w.publication.pk}/")[0] == 404
    assert _page(f"/gongkai/u/{w.tree.city.pk}/subtree.csv")[0] == 404
    version = PublicationVersion.objects.get(publication=w.publication)
    assert version.withdraw_reason == "发现错别字" and version.withdrawn_by == w.office
    assert Publication.objects.get(pk=w.publication.pk).state == PublicationState.WITHDRAWN
    # published again after the mistake is mended: a new version, public at once
    again = publish(w.office, Publication.objects.get(pk=w.publication.pk))
    assert again.number == 2 and _page(f"/gongkai/p/{w.publication.pk}/")[0] == 200


def test_a_withdrawal_needs_a_reason_and_a_published_version(w):
    with pytest.raises(PublicityError):
        services.publication_withdraw(actor=w.office, publication=w.publication, reason=" ")
    with pytest.raises(PublicityError):
        services.publication_withdraw(actor=w.office, publication=w.draft, reason="无")


def test_open_data_of_a_subtree_holds_the_published_rows_only(w):
    status, body = _page(f"/gongkai/u/{w.tree.city.pk}/subtree.csv")
    assert status == 200
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("单位,清单,序号,突出问题")
    assert len(lines) == 2 and lines[1].startswith(f"{w.tree.lianyuan.full_name},")
    data = json.loads(_page(f"/gongkai/u/{w.tree.lianyuan.pk}/data.json")[1])
    assert [r["problem"][:6] for r in data["rows"]] == ["群众反映办事"]
    assert "item" not in data["rows"][0]
    assert WITHDRAWN_PROBLEM not in body


def test_units_with_nothing_published_have_no_public_page(w):
    assert _page(f"/gongkai/u/{w.tree.louxing.pk}/")[0] == 404
    assert _page(f"/gongkai/u/{w.tree.qiaotouhe.pk}/")[0] == 404
    assert _page(f"/gongkai/u/{w.tree.city.pk}/")[0] == 200  # a public page below it
    assert _page(f"/gongkai/p/{w.draft.pk}/")[0] == 404
    assert _page(f"/gongkai/p/{w.withdrawn.pk}/")[0] == 404


def test_only_an_office_over_the_unit_may_publish(w):
    outsider = user_create(Role.CAMPAIGN_OFFICE, w.tree.louxing)
    with pytest.raises(Denied):  # out of scope: as if it did not exist
        services.publication_preview(actor=outsider, publication=w.publication)
    with pytest.raises(Forbidden):  # a reader of the unit without the right
        services.publication_withdraw(actor=w.filler, publication=w.publication, reason="越权")
    version = services.publication_preview(actor=w.city_office, publication=w.publication)  # the city's office
    assert version.digest == Publication.objects.get(pk=w.publication.pk).live_version.digest


def test_public_commitments_and_bulletins_show_once_published(w):
    services.commitment_save(actor=w.office, unit=w.tree.lianyuan, campaign=w.campaign, status="in_progress",
                             content=f"承诺三个月内改造窗口，联系人{ORDINARY}，电话{PHONE}")
    commitments = services.publication_create(actor=w.office, kind=PublicationKind.COMMITMENTS,
                                              unit=w.tree.lianyuan, campaign=w.campaign)
    bulletin = services.bulletin_save(actor=w.office, unit=w.tree.lianyuan, campaign=w.campaign,
                                      title="关于整改进展的通报", issued_on=dt.date(2015, 1, 20),
                                      body=f"{LEADER}同志带头整改，举报电话{PHONE}。")
    notice = services.publication_create(actor=w.office, kind=PublicationKind.BULLETIN, bulletin=bulletin)
    assert "承诺三个月内" not in _page(f"/gongkai/u/{w.tree.lianyuan.pk}/")[1]  # written, not yet published
    services.publication_choose(actor=w.office, publication=commitments, title="涟源市公开承诺",
                                extra_redactions=ORDINARY)
    publish(w.office, commitments)
    publish(w.office, notice)
    body = _page(f"/gongkai/u/{w.tree.lianyuan.pk}/")[1]
    assert "承诺三个月内改造窗口，联系人〔已隐去〕，电话〔电话已隐去〕" in body
    assert "关于整改进展的通报" in body
    bulletin_page = _page(f"/gongkai/p/{notice.pk}/")[1]
    assert "张某同志带头整改" in bulletin_page and PHONE not in bulletin_page and LEADER not in bulletin_page


def test_commitments_are_published_only_when_there_are_some(w):
    commitments = services.publication_create(actor=w.office, kind=PublicationKind.COMMITMENTS,
                                              unit=w.tree.qiaotouhe, campaign=w.campaign)
    with pytest.raises(PublicityError) as refused:
        services.publication_preview(actor=w.office, publication=commitments)
    assert "还没有公开承诺" in refused.value.message


def test_open_data_csv_cells_never_start_a_formula(w):
    services.commitment_save(actor=w.office, unit=w.tree.lianyuan, campaign=w.campaign, status="in_progress",
                             content="=HYPERLINK(\"http://evil.example\")")
    publish(w.office, services.publication_create(actor=w.office, kind=PublicationKind.COMMITMENTS,
                                                  unit=w.tree.lianyuan, campaign=w.campaign))
    body = _page(f"/gongkai/u/{w.tree.lianyuan.pk}/data.csv")[1]
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_the_offices_words_are_hidden_in_every_field_and_browsers_ask_again(w):
    services.publication_choose(actor=w.office, publication=w.publication, item_ids=[w.shown.pk],
                                title=w.publication.title, extra_redactions=f"{ORDINARY}\n涟源市")
    built = services.publication_preview(actor=w.office, publication=w.publication)
    row = built.content["rows"][0]
    assert "涟源市" not in row["responsible_units"] and row["responsible_units"] == "〔已隐去〕"
    assert any(label == "指定文字" and n >= 1 for label, n in built.hidden)
    response = Client().get(f"/gongkai/u/{w.tree.lianyuan.pk}/")
    assert response["Cache-Control"] == "public, no-cache"


def test_the_commitments_page_opens_on_the_offices_own_unit(w):
    client = Client()
    client.force_login(w.office)
    page = client.get("/publicity/commitments/").content.decode()
    assert f"{w.tree.lianyuan.full_name} · {w.campaign.name}" in page
