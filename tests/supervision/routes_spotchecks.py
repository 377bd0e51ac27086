"""Route × role rows of the spot checks (merged into tests/test_route_table.py).

Each side gets two spot checks ordered by its county (涟源市 / 娄星区) over its units: one drawn (`spot_drawn`,
with its 重点抽查 inspection) and one committed (`spot_committed`, to draw). The team is two 督导组 members whose
own unit is 市教育局 (outside both counties, so never recused for it) and who read the side's units through
the side's group. Every role of the table is held at 涟源市: its office defines and draws; every business role
reads the spot checks of 涟源市 and the coverage map below it.
"""

from __future__ import annotations

import datetime as dt

from huitoukan.access.models import Role
from huitoukan.orgs.models import UnitLevel
from huitoukan.supervision import spotchecks
from huitoukan.supervision.models import SpotCheck, SpotCheckState
from tests.conftest import user_create
from tests.route_types import BUSINESS, SIDE_BUILDERS, Route

OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
TITLE = "涟源市第二轮重点抽查"


def _build(inn, out, users, tree):
    office_out = user_create(Role.CAMPAIGN_OFFICE, out.county, username="spotcheck_office_out")
    for side, office, name in ((inn, users[Role.CAMPAIGN_OFFICE], "spotcheck_team_in"),
                               (out, office_out, "spotcheck_team_out")):
        # Two members: a unit one of them inspected last time goes to the other (回避)
        side.spot_team = [user_create(Role.SUPERVISOR, tree.education, group=side.group, username=f"{name}{n}")
                          for n in (1, 2)]
        # 涟源市's townships; 娄星区's group reads 乐坪街道 only: its spot checks sample below it
        root = side.county if side is inn else side.unit
        levels = [UnitLevel.TOWNSHIP] if side is inn else []

        def define(title, side=side, office=office, root=root, levels=levels):
            return spotchecks.spotcheck_define(actor=office, ordering_unit=side.county, root=root, title=title,
                                               starts_on=dt.date(2015, 3, 2), levels=levels, size=1,
                                               team=side.spot_team)

        side.spot_drawn = spotchecks.spotcheck_draw(actor=office, spot_check=define("第一轮重点抽查"))
        side.spot_committed = define("第二轮重点抽查")


SIDE_BUILDERS.append(_build)


def _form(s) -> dict:
    return {"title": TITLE, "root": s.county.pk, "starts_on": "2015-03-02", "levels": [UnitLevel.TOWNSHIP],
            "size": "1", "keys_always_in": "on", "team": " ".join(u.get_username() for u in s.spot_team)}


def _defined(s, response) -> bool:
    return SpotCheck.objects.filter(title=TITLE).exists()


def _drawn(s, response) -> bool:
    return SpotCheck.objects.get(pk=s.spot_committed.pk).state == SpotCheckState.DRAWN


ROUTES: dict[tuple[str, str], Route] = {
    ("spotcheck-list", "GET"): Route(lambda s: "/supervision/spot-checks/", BUSINESS, out=False),
    ("spotcheck-create", "GET"): Route(lambda s: f"/supervision/spot-checks/new/?unit={s.county.pk}", OFFICE,
                                       readers=BUSINESS),
    ("spotcheck-create", "POST"): Route(lambda s: f"/supervision/spot-checks/new/?unit={s.county.pk}", OFFICE,
                                        readers=BUSINESS, ok_status=302, body=_form, done=_defined),
    ("spotcheck-detail", "GET"): Route(lambda s: f"/supervision/spot-checks/{s.spot_drawn.pk}/", BUSINESS),
    ("spotcheck-draw", "POST"): Route(lambda s: f"/supervision/spot-checks/{s.spot_committed.pk}/draw/", OFFICE,
                                      readers=BUSINESS, ok_status=302, done=_drawn),
    ("spotcheck-verify", "GET"): Route(lambda s: f"/supervision/spot-checks/{s.spot_drawn.pk}/verify/", BUSINESS),
    ("spotcheck-coverage", "GET"): Route(lambda s: f"/supervision/spot-checks/coverage/?unit={s.county.pk}",
                                         BUSINESS),
}


def _api(pattern: str):
    return lambda s, p=pattern: "/api/v1/supervision/spot-checks/" + p.format(s=s)


def _api_body(s) -> dict:
    return {"ordering_unit": s.county.pk, "root": s.county.pk, "title": TITLE, "starts_on": "2015-03-02",
            "levels": [UnitLevel.TOWNSHIP], "size": 1, "team": [u.get_username() for u in s.spot_team]}


ROUTES.update({
    ("api-spotchecks", "GET"): Route(_api(""), BUSINESS, api=True, out=False),
    ("api-spotchecks", "POST"): Route(_api(""), OFFICE, readers=BUSINESS, api=True, ok_status=201, body=_api_body,
                                      done=_defined),
    ("api-spotcheck", "GET"): Route(_api("{s.spot_drawn.pk}/"), BUSINESS, api=True),
    ("api-spotcheck-draw", "POST"): Route(_api("{s.spot_committed.pk}/draw/"), OFFICE, readers=BUSINESS, api=True,
                                          done=_drawn),
    ("api-spotcheck-verify", "GET"): Route(_api("{s.spot_drawn.pk}/verify/"), BUSINESS, api=True),
    ("api-spotcheck-coverage", "GET"): Route(_api("coverage/?unit={s.county.pk}"), BUSINESS, api=True),
})
