"""Route × role rows of 报送 and 逐级审阅.

Each side gets a city deadline that expects its county (涟源市 / 娄星区), with the county's package built
twice (version 1 withdrawn, version 2 waiting for the county head), and its township's package (桥头河镇 /
乐坪街道) for the county's own deadline, submitted and waiting for the county's review. Every role of the
table is held at 涟源市: its office builds 涟源市's package and reviews 桥头河镇's; nobody reviews 涟源市's
own (that is 娄底市's, where no role of the table is held).
"""

from __future__ import annotations

import datetime as dt

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.models import PackagePart, TargetRule
from huitoukan.campaigns.services import DeadlineSpec
from huitoukan.orgs.models import UnitLevel
from huitoukan.reviews import services
from huitoukan.reviews.models import PackageAction, PackageComment, PackageState, PackageVersion
from tests.conftest import user_create
from tests.route_types import BUSINESS, SIDE_BUILDERS, Route

A = PackageAction
OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
WORK_READERS = BUSINESS


def _build(inn, out, users, tree):
    city_campaign = campaign_services.campaign_create(
        actor=None, owner_unit=tree.city, name="娄底市回头看", starts_on=dt.date(2014, 12, 31),
        ends_on=dt.date(2015, 6, 30),
        deadlines=[DeadlineSpec("建立台账并报上一级活动办", dt.date(2015, 1, 6), [UnitLevel.COUNTY],
                                target_rule=TargetRule.CHILDREN, contents=[PackagePart.LEDGER_LEADERSHIP])])
    city_deadline = city_campaign.deadlines.get()
    for side, county_office, tag in ((inn, users[Role.CAMPAIGN_OFFICE], "in"),
                                     (out, user_create(Role.CAMPAIGN_OFFICE, out.county, username="office_out"),
                                      "out")):
        # the county's own package for the city: version 1 withdrawn by version 2, waiting for the head
        side.city_deadline = city_deadline
        side.old_version = services.package_build(actor=county_office, deadline=city_deadline, unit=side.county)
        side.head_version = services.package_build(actor=county_office, deadline=city_deadline, unit=side.county)
        # the township's package for the county's deadline, submitted and waiting for the county's review
        township_office = user_create(Role.CAMPAIGN_OFFICE, side.unit, username=f"township_office_{tag}")
        township_head = user_create(Role.UNIT_HEAD, side.unit, username=f"township_head_{tag}")
        deadline = side.campaign.deadlines.get()
        version = services.package_build(actor=township_office, deadline=deadline, unit=side.unit)
        services.package_act(actor=township_head, version=version, action=A.HEAD_APPROVE)
        side.review_version = services.package_act(actor=township_office, version=version, action=A.SUBMIT)


SIDE_BUILDERS.append(_build)


def _built(s, response) -> bool:
    return PackageVersion.objects.filter(submission__unit=s.county, submission__deadline=s.city_deadline,
                                         number=3).exists()


def _decided(s, response) -> bool:
    return PackageVersion.objects.get(pk=s.review_version.pk).state in (PackageState.APPROVED, PackageState.RETURNED)


def _commented(s, response) -> bool:
    return PackageComment.objects.filter(version=s.review_version).exists()


ROUTES: dict = {
    ("review-index", "GET"): Route(lambda s: "/reviews/", WORK_READERS, out=False),
    ("review-status", "GET"): Route(lambda s: f"/reviews/deadlines/{s.city_deadline.pk}/?unit={s.county.pk}",
                                    WORK_READERS),
    ("review-status-export", "GET"): Route(
        lambda s: f"/reviews/deadlines/{s.city_deadline.pk}/export/?unit={s.county.pk}", WORK_READERS),
    ("review-submission", "GET"): Route(
        lambda s: f"/reviews/deadlines/{s.city_deadline.pk}/units/{s.county.pk}/", WORK_READERS),
    # Only the county's own office builds its package; whoever else reads it gets 403.
    ("review-build", "POST"): Route(
        lambda s: f"/reviews/deadlines/{s.city_deadline.pk}/units/{s.county.pk}/build/", OFFICE,
        readers=WORK_READERS, ok_status=302, done=_built),
    ("review-version", "GET"): Route(lambda s: f"/reviews/versions/{s.head_version.pk}/", WORK_READERS),
    ("review-compare", "GET"): Route(
        lambda s: f"/reviews/versions/{s.head_version.pk}/compare/?with={s.old_version.pk}", WORK_READERS),
    # The county's office reviews its township's package; the county's head reads it but may not decide.
    ("review-act", "POST"): Route(
        lambda s: f"/reviews/versions/{s.review_version.pk}/act/", OFFICE, readers=WORK_READERS, ok_status=302,
        body={"approve": lambda s: {"action": A.APPROVE},
              "return": lambda s: {"action": A.RETURN, "reason": "措施不具体"}},
        done=_decided),
    # Comments on a submitted package: the reviewing office's 审阅意见 and the group's 督导意见.
    ("review-comment", "POST"): Route(
        lambda s: f"/reviews/versions/{s.review_version.pk}/comments/", OFFICE | {Role.SUPERVISOR},
        readers=WORK_READERS, ok_status=302, body=lambda s: {"text": "请补充佐证材料", "anchor": ""},
        done=_commented),
}


def _api(pattern: str):
    return lambda s, p=pattern: "/api/v1/" + p.format(s=s)


ROUTES.update({
    ("api-deadline-status", "GET"): Route(_api("deadlines/{s.city_deadline.pk}/status/?unit={s.county.pk}"),
                                          WORK_READERS, api=True),
    ("api-submission-versions", "GET"): Route(_api("deadlines/{s.city_deadline.pk}/units/{s.county.pk}/versions/"),
                                              WORK_READERS, api=True),
    ("api-submission-versions", "POST"): Route(
        _api("deadlines/{s.city_deadline.pk}/units/{s.county.pk}/versions/"), OFFICE, readers=WORK_READERS,
        ok_status=201, api=True, done=_built),
    ("api-package-version", "GET"): Route(_api("package-versions/{s.head_version.pk}/"), WORK_READERS, api=True),
    ("api-package-version-act", "POST"): Route(
        _api("package-versions/{s.review_version.pk}/act/"), OFFICE, readers=WORK_READERS, api=True,
        body={"approve": lambda s: {"action": A.APPROVE},
              "return": lambda s: {"action": A.RETURN, "reason": "措施不具体"}},
        done=_decided),
    ("api-package-version-comments", "GET"): Route(_api("package-versions/{s.review_version.pk}/comments/"),
                                                   WORK_READERS, api=True),
    ("api-package-version-comments", "POST"): Route(
        _api("package-versions/{s.review_version.pk}/comments/"), OFFICE | {Role.SUPERVISOR}, readers=WORK_READERS,
        ok_status=201, api=True, body=lambda s: {"text": "请补充佐证材料"}, done=_commented),
    ("api-package-version-compare", "GET"): Route(
        _api("package-versions/{s.head_version.pk}/compare/?with={s.old_version.pk}"), WORK_READERS, api=True),
    ("api-review-queue", "GET"): Route(_api("review-queue/"), WORK_READERS, api=True, out=False),
})
