"""The left menu: each role sees the entries its rights open, and only those."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from huitoukan.access.models import Role
from huitoukan.orgs import services as org_services
from huitoukan.portal.context_processors import navigation
from tests.conftest import user_create

pytestmark = pytest.mark.django_db


def _labels(user) -> set[str]:
    request = RequestFactory().get("/")
    request.user = user
    return {str(label) for label, _href, _key in navigation(request)["nav_menu"]}


def test_every_business_role_keeps_its_jobs_and_the_public_side_entries(tree):
    leader = org_services.person_create(actor=None, unit=tree.lianyuan, name="吴海波", is_party_leader=True)
    for role in (Role.UNIT_FILLER, Role.RESPONSIBLE_LEADER, Role.UNIT_HEAD):
        labels = _labels(user_create(role, tree.lianyuan, person=leader if role == Role.RESPONSIBLE_LEADER else None))
        assert {"台账", "后台任务", "开门整改", "群众评议"} <= labels, role
        assert "群众意见" not in labels, role  # the public's letters: the office and discipline staff only


def test_the_office_and_discipline_read_the_publics_letters(tree):
    assert "群众意见" in _labels(user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    assert "群众意见" in _labels(user_create(Role.DISCIPLINE, tree.lianyuan))


def test_accountability_entries_open_to_heads_and_discipline_only(tree):
    for role in (Role.UNIT_HEAD, Role.DISCIPLINE):
        assert {"责任追究", "年度考核"} <= _labels(user_create(role, tree.lianyuan)), role
    for role in (Role.CAMPAIGN_OFFICE, Role.UNIT_FILLER):
        assert not {"责任追究", "年度考核"} & _labels(user_create(role, tree.lianyuan)), role


def test_documentary_evaluation_is_read_by_the_organisation_department_not_by_the_unit(tree):
    assert "纪实评价" in _labels(user_create(Role.DISCIPLINE, tree.lianyuan))
    for role in (Role.UNIT_HEAD, Role.CAMPAIGN_OFFICE):
        assert "纪实评价" not in _labels(user_create(role, tree.lianyuan)), role


def test_every_business_role_finds_the_dashboard_the_verdicts_and_the_documents(tree):
    for role in (Role.CAMPAIGN_OFFICE, Role.UNIT_FILLER, Role.UNIT_HEAD):
        assert {"驾驶舱", "过关情况", "公文"} <= _labels(user_create(role, tree.lianyuan)), role
