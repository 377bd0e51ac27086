"""Nothing unpublished and nothing redacted reaches the public: every public route (every URL under /gongkai/),
asked about every unit and every publication there is, published or not, in every format it serves.

A new public route fails `test_every_public_route_is_walked` until it is given its paths here.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from huitoukan.orgs.models import Unit
from huitoukan.publicity import opinion_services, services, survey_services
from huitoukan.publicity.contact import Contact
from huitoukan.publicity.models import (
    EvaluatorGroup,
    OpinionKind,
    Publication,
    PublicationKind,
    SurveyKind,
)
from tests.conftest import built_once
from tests.publicity.publication_world import LEADER, ORDINARY, PHONE, SECRETS, build_world, publish

CONTACT_NAME = "王五联系人"
DRAFT_TITLE = "尚未发布的新标题"


@pytest.fixture(scope="module")
def leak_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        world = build_world()
        # A new title saved and not yet published; a 通报 whose title names the leader.
        services.publication_choose(actor=world.office, publication=world.publication, item_ids=[world.shown.pk],
                                    title=DRAFT_TITLE, extra_redactions=ORDINARY)
        bulletin = services.bulletin_save(actor=world.office, unit=world.tree.lianyuan, campaign=world.campaign,
                                          title=f"关于{LEADER}同志带头整改的通报", issued_on=timezone.localdate(),
                                          body="正文")
        publish(world.office, services.publication_create(actor=world.office, kind=PublicationKind.BULLETIN,
                                                          bulletin=bulletin))
        # A sender who left a name and a phone, and a survey with one unused token for 涟源市.
        world.opinion = opinion_services.opinion_submit(
            unit=world.tree.lianyuan, kind=OpinionKind.REPORT, subject="窗口人员态度差", content="多次办事被推诿",
            anonymous=False, contact=Contact(name=CONTACT_NAME, means=PHONE))
        survey = survey_services.survey_create(
            actor=world.city_office, owner_unit=world.tree.city, kind=SurveyKind.APPRAISAL, title="群众评议",
            questions=["对整改落实情况是否满意"], target_units=[world.tree.lianyuan],
            starts_on=timezone.localdate(), ends_on=timezone.localdate())
        survey_services.survey_open(actor=world.city_office, survey=survey)
        world.token = survey_services.survey_tokens_issue(actor=world.city_office, survey=survey,
                                                          unit=world.tree.lianyuan, group=EvaluatorGroup.PUBLIC,
                                                          count=1)[0]
        yield world


@pytest.fixture
def w(leak_world, db):
    return leak_world


def _public_route_names() -> set[str]:
    names = set()

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and (prefix + str(p.pattern)).lstrip("^").startswith("gongkai/"):
                names.add(p.name)
    walk(get_resolver().url_patterns, "")
    return names


def _units():
    return list(Unit.objects.order_by("path"))


def _publications():
    return list(Publication.objects.order_by("pk"))


# Each public route: the paths that ask it about everything there is.
PATHS = {
    "public-index": lambda w: ["/gongkai/"],
    "public-unit": lambda w: [f"/gongkai/u/{u.pk}/" for u in _units()],
    "public-publication": lambda w: [f"/gongkai/p/{p.pk}/" for p in _publications()],
    "public-data": lambda w: [f"/gongkai/u/{u.pk}/{scope}.{fmt}" for u in _units()
                              for scope in ("data", "subtree") for fmt in ("csv", "json")],
    # The form per unit, and per item: an item of no published list is not named on it.
    "public-opinion-new": lambda w: [f"/gongkai/u/{u.pk}/yijian/" for u in _units()] + [
        f"/gongkai/u/{w.tree.lianyuan.pk}/yijian/?item={item.pk}" for item in (w.shown, w.hidden)],
    "public-opinion-lookup": lambda w: ["/gongkai/chaxun/", ("/gongkai/chaxun/", {"code": w.opinion.code})],
    "public-survey-answer": lambda w: ["/gongkai/wenjuan/AAAAAAAAAAAAAAAAAAAAAA/", f"/gongkai/wenjuan/{w.token}/"],
}


def test_every_public_route_is_walked():
    assert _public_route_names() - set(PATHS) == set(), "give each public route its paths in PATHS"


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


def test_no_public_route_shows_anything_unpublished_or_redacted(w):
    client = Client()
    served = 0
    for name, paths in PATHS.items():
        for path in paths(w):
            # A path, or (path, form data) for a page that answers a POST (the query code's result).
            response = client.post(path[0], path[1]) if isinstance(path, tuple) else client.get(path)
            assert response.status_code in (200, 404, 410), f"{path} → {response.status_code}"
            body = _body(response)
            leaked = [s for s in (*SECRETS, CONTACT_NAME, DRAFT_TITLE) if s in body]
            assert not leaked, f"{name} {path} shows {leaked}"
            served += response.status_code == 200
    assert served >= 8  # the walk reached real pages, not only refusals
    assert "关于张某同志带头整改的通报" in _body(client.get("/gongkai/"))


def test_the_query_code_shows_the_sender_the_state_and_nothing_of_the_contact(w):
    body = _body(Client().post("/gongkai/chaxun/", {"code": w.opinion.code}))
    assert w.opinion.opinion.number in body and "窗口人员态度差" in body
    assert CONTACT_NAME not in body and PHONE not in body
