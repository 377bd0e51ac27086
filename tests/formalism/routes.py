"""Route × role rows of 形式主义预警 (merged into tests/test_route_table.py).

Each side gets a 待核实 flag of its county (涟源市 / 娄星区) naming the side's item. The flags are seen and handled by
the office and the supervision group over the unit (the right to record findings), by nobody else: every other
role, the unit head and the discipline staff included, gets 404 on a flag as on an absent one, and 403 on the
list (it reads the unit's business data but holds no right to the flags).
"""

from __future__ import annotations

from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.formalism.models import Flag, FlagKind, FlagState
from huitoukan.supervision.models import Finding
from tests.route_types import BUSINESS, SIDE_BUILDERS, Route

SEERS = frozenset({Role.CAMPAIGN_OFFICE, Role.SUPERVISOR})


def _build(inn, out, users, tree):
    now = timezone.now()
    for side in (inn, out):
        side.flag = Flag.objects.create(campaign=side.campaign, unit=side.county, kind=FlagKind.EVIDENCE_TINY,
                                        key=str(side.item.pk), sentence="已销号事项的佐证材料都远小于同类材料的中位数。",
                                        evidence={"files": []}, first_seen=now, last_seen=now)
        side.flag.items.set([side.item])


SIDE_BUILDERS.append(_build)


def _state(state):
    return lambda s, response: Flag.objects.get(pk=s.flag.pk).state == state


def _found(s, response) -> bool:
    return Finding.objects.filter(unit=s.county, formalism_flags=s.flag).exists()


ROUTES: dict = {
    ("flag-list", "GET"): Route(lambda s: "/formalism/", SEERS, readers=BUSINESS, out=False),
    ("flag-detail", "GET"): Route(lambda s: f"/formalism/{s.flag.pk}/", SEERS),
    ("flag-dismiss", "POST"): Route(lambda s: f"/formalism/{s.flag.pk}/dismiss/", SEERS, ok_status=302,
                                    body=lambda s: {"reason": "核实为原件缩略图"},
                                    done=_state(FlagState.DISMISSED)),
    ("flag-to-finding", "POST"): Route(lambda s: f"/formalism/{s.flag.pk}/to-finding/", SEERS, ok_status=302,
                                       body=lambda s: {"description": "佐证材料过小，疑似未真整改", "severity": "general"},
                                       done=_found),
}
