"""问责建议: slack units are suggested for 约谈提醒 of their head, 形式主义 with many letters for 诫勉批评, a relapse
of a 四风 problem for a case with 一案双查 — each with its clause; acted on shows 已立案; a few queries in all."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from huitoukan.accountability import suggestions
from huitoukan.accountability.models import ActionKind, CaseCause, Responsibility
from tests.accountability.case_world import build_case_world, relapse_case
from tests.conftest import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def case_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_case_world()


@pytest.fixture
def w(case_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return case_world


def _of(found, key, unit):
    return [s for s in found if s.key == key and s.unit == unit]


def test_a_unit_with_overdue_items_is_suggested_for_a_talk_with_its_head_and_the_clause(w):
    found = suggestions.suggestions_for(user=w.discipline)
    [talk] = _of(found, "talk", w.tree.lianyuan)
    assert talk.basis == "accountability.talk" and talk.cause == CaseCause.SLACK
    assert "张卫国" in talk.action and "约谈提醒" in talk.action
    assert [(s.label, s.count, s.over) for s in talk.seen] == [("逾期未销号事项", 3, True)]
    assert talk.prefill["action"] == [f"{Responsibility.LEADER}:{ActionKind.TALK}:{w.head_person.pk}"]
    assert sorted(talk.prefill["items"]) == sorted(i.pk for i in w.overdue)  # the new case cites them
    assert talk.acted is None


def test_below_the_threshold_no_talk_is_suggested(w, settings):
    settings.ACCOUNTABILITY_SUGGESTION_THRESHOLDS = {"overdue_items": 4}
    assert not _of(suggestions.suggestions_for(user=w.discipline), "talk", w.tree.lianyuan)


def test_a_red_notice_alone_suggests_a_talk(w, settings):
    settings.ACCOUNTABILITY_SUGGESTION_THRESHOLDS = {"overdue_items": 99}
    assert not _of(suggestions.suggestions_for(user=w.discipline), "talk", w.tree.lianyuan)
    w.notice.colour = "red"
    w.notice.save(update_fields=["colour"])
    [talk] = _of(suggestions.suggestions_for(user=w.discipline), "talk", w.tree.lianyuan)
    assert ("未办结的红色督办通知单", 1, True) in [(s.label, s.count, s.over) for s in talk.seen]


def test_a_relapse_of_a_four_winds_problem_yields_a_double_check_suggestion_with_its_leader(w):
    [relapse] = _of(suggestions.suggestions_for(user=w.discipline), "relapse", w.tree.lianyuan)
    assert relapse.basis == "accountability.relapse" and relapse.item == w.relapsed
    assert relapse.prefill["double_check"] == "1" and relapse.prefill["items"] == [w.relapsed.pk]
    assert f"{Responsibility.LEADER}:{ActionKind.ADMONISH}:{w.leader_person.pk}" in relapse.prefill["action"]
    assert "吴海波" in relapse.action


def test_formalism_findings_with_many_letters_suggest_admonishing_the_head(w, settings):
    [admonish] = _of(suggestions.suggestions_for(user=w.discipline), "admonish", w.tree.lianyuan)
    assert admonish.basis == "accountability.admonish"
    assert [(s.label, s.count) for s in admonish.seen] == [("形式主义问题", 1), ("群众意见和举报", 4)]
    assert admonish.prefill["findings"] == [w.finding.pk] and len(admonish.prefill["opinions"]) == 4
    settings.ACCOUNTABILITY_SUGGESTION_THRESHOLDS = {"opinions": 5}
    assert not _of(suggestions.suggestions_for(user=w.discipline), "admonish", w.tree.lianyuan)


def test_suggestions_acted_on_show_the_case(w):
    case = relapse_case(w)
    talk_case = relapse_case(w, cause=CaseCause.SLACK, double_check=False, items=[], findings=[], notices=[],
                             opinions=[], actions=[(w.head_person, Responsibility.LEADER, ActionKind.TALK,
                                                    timezone.localdate(), "")])
    found = suggestions.suggestions_for(user=w.discipline)
    assert _of(found, "relapse", w.tree.lianyuan)[0].acted == case
    assert _of(found, "talk", w.tree.lianyuan)[0].acted == talk_case
    assert _of(found, "admonish", w.tree.lianyuan)[0].acted is None


def test_a_case_decided_before_the_trigger_does_not_count_as_acted_on(w):
    long_ago = timezone.localdate().replace(year=timezone.localdate().year - 2)
    relapse_case(w, cause=CaseCause.SLACK, double_check=False, items=[], findings=[], notices=[], opinions=[],
                 decided_on=long_ago, actions=[])
    assert _of(suggestions.suggestions_for(user=w.discipline), "talk", w.tree.lianyuan)[0].acted is None


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _links(page: str) -> list[str]:
    return sorted({href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"]*)"', page)
                   if not href.startswith("/static/")})


def test_a_head_who_reads_no_letters_is_neither_told_their_count_nor_suggested_on_them(w):
    # Given 涟源市 with a 形式主义 finding and four letters: discipline staff (who read letters) are suggested 诫勉批评
    assert _of(suggestions.suggestions_for(user=w.discipline), "admonish", w.tree.lianyuan)
    # When 涟源市's head (no OPINION_VIEW) reads the suggestions, then no suggestion rests on the letters…
    found = suggestions.suggestions_for(user=w.head)
    assert not _of(found, "admonish", w.tree.lianyuan)
    assert all(seen.label != "群众意见和举报" for s in found for seen in s.seen)
    # …and the page neither counts them nor links to them
    page = _as(w.head).get("/accountability/cases/suggestions/").content.decode()
    assert "群众意见和举报：" not in page and "/opinions/" not in page


def test_every_link_of_the_suggestions_and_case_pages_opens_for_the_head(w):
    # Given a case of 涟源市 citing a letter, and the head of 涟源市, who reads cases but no letters
    case = relapse_case(w)
    client = _as(w.head)
    for url in ("/accountability/cases/suggestions/", f"/accountability/cases/{case.pk}/", "/accountability/cases/"):
        links = _links(client.get(url).content.decode())
        assert links
        # When each link is followed, then it opens (no 404 / 403 behind a link the page offers)
        for link in links:
            assert client.get(link).status_code in (200, 302), (url, link)


def test_a_case_above_the_readers_units_citing_the_relapse_is_not_shown_to_them_as_acted_on(w):
    # Given a case of 娄底市 (the city, above 涟源市) citing 涟源市's relapsed item
    city_case = relapse_case(w, unit=w.tree.city, title="娄底市文山会海问题反弹")
    assert _of(suggestions.suggestions_for(user=w.discipline), "relapse", w.tree.lianyuan)[0].acted == city_case
    # When 涟源市's head, who may not read the city's case, reads the suggestions
    [relapse] = _of(suggestions.suggestions_for(user=w.head), "relapse", w.tree.lianyuan)
    # Then it is not 已立案 through a case they cannot open, and the page does not link to it
    assert relapse.acted is None
    page = _as(w.head).get("/accountability/cases/suggestions/").content.decode()
    assert f"/accountability/cases/{city_case.pk}/" not in page


def test_the_new_case_button_shows_only_where_the_reader_may_record(w):
    # Given someone who records cases at 娄星区 (纪委) and only reads them at 涟源市 (its head)
    from huitoukan.access import services as access_services
    from huitoukan.access.models import Role
    from tests.conftest import user_create

    both = user_create(Role.DISCIPLINE, w.tree.louxing, username="case_both")
    access_services.role_grant(actor=None, user=both, role=Role.UNIT_HEAD, unit=w.tree.lianyuan)
    # When they read 涟源市's suggestions, then none offers 立案 (they may not record there)
    found = _of(suggestions.suggestions_for(user=both), "talk", w.tree.lianyuan)
    assert found and not found[0].may_record
    page = _as(both).get("/accountability/cases/suggestions/").content.decode()
    assert "/accountability/cases/new/?" not in page
    # …while the city's discipline staff are offered it
    assert "/accountability/cases/new/?" in _as(w.discipline).get("/accountability/cases/suggestions/").content.decode()


def test_the_page_is_limited_to_the_readers_units(w):
    assert suggestions.suggestions_for(user=w.louxing_head) == []
    assert {s.unit for s in suggestions.suggestions_for(user=w.head)} == {w.tree.lianyuan}
    assert suggestions.suggestions_for(user=w.office) == []


def test_a_fixed_number_of_queries(w, django_assert_max_num_queries):
    w.discipline.__dict__.pop("_huitoukan_assignments", None)
    with django_assert_max_num_queries(20):
        found = suggestions.suggestions_for(user=w.discipline)
    assert len(found) == 3
