"""Route × role rows of 回头看复查 (merged into tests/test_route_table.py).

Each side's closed item (`closed`, 销号 when the world is built) has its rechecks planned by the closing; its
3-month one is made due today here (`recheck`). Who may confirm is who may attach evidence to the item (the office
and the filler with LEDGER_EDIT, the lead leader: the 责任领导 login "in"); who may fail it must also reopen it
(ITEM_REOPEN): the office alone. Every other business role reads it (403); out of scope, 404.
"""

from __future__ import annotations

from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.campaigns.models import Campaign
from huitoukan.publicity.models import Opinion
from huitoukan.publicity.opinion_services import opinion_submit
from huitoukan.rechecks.models import Recheck, RecheckState
from tests.ledgers.conftest import PDF, pdf
from tests.route_types import BUSINESS, SIDE_BUILDERS, Route


def _fresh(name="复查.pdf"):
    """A file the closed item does not hold yet: a recheck's evidence must be new."""
    return pdf(name, PDF + f"% {name}\n".encode())


CONFIRMERS = frozenset({Role.CAMPAIGN_OFFICE, Role.UNIT_FILLER, Role.RESPONSIBLE_LEADER})
FAILERS = frozenset({Role.CAMPAIGN_OFFICE})
ASKERS = frozenset({Role.CAMPAIGN_OFFICE})  # SURVEY_MANAGE over the item's unit


def _build(inn, out, users, tree):
    for side in (inn, out):
        side.recheck = Recheck.objects.get(item=side.closed, round_months=3)
        Recheck.objects.filter(pk=side.recheck.pk).update(due_on=timezone.localdate())
        # 征询群众: the campaign asks the public, and a letter of the county (public since the opinions' rows
        # published its ledger) is about the closed item.
        Campaign.objects.filter(pk=side.campaign.pk).update(recheck_ask_public=True)
        letter = opinion_submit(unit=side.county, kind="opinion", subject="公款吃喝", content="整改后是否反弹？").opinion
        Opinion.objects.filter(pk=letter.pk).update(about_item=side.closed)


SIDE_BUILDERS.append(_build)


def _state(state):
    return lambda s, response: Recheck.objects.get(pk=s.recheck.pk).state == state


ROUTES: dict = {
    ("recheck-list", "GET"): Route(lambda s: "/rechecks/", BUSINESS, out=False),
    ("recheck-detail", "GET"): Route(lambda s: f"/rechecks/{s.recheck.pk}/", BUSINESS),
    ("recheck-confirm", "POST"): Route(lambda s: f"/rechecks/{s.recheck.pk}/confirm/", CONFIRMERS, readers=BUSINESS,
                                       ok_status=302, body=lambda s: {"note": "整改成果巩固", "files": _fresh()},
                                       done=_state(RecheckState.CONFIRMED)),
    ("recheck-fail", "POST"): Route(lambda s: f"/rechecks/{s.recheck.pk}/fail/", FAILERS, readers=BUSINESS,
                                    ok_status=302, body=lambda s: {"note": "问题反弹", "files": _fresh("反弹.pdf")},
                                    done=_state(RecheckState.FAILED)),
    ("recheck-ask-public", "POST"): Route(lambda s: f"/rechecks/{s.recheck.pk}/ask-public/", ASKERS,
                                          readers=BUSINESS, body=lambda s: {},
                                          done=lambda s, r: Recheck.objects.get(pk=s.recheck.pk).public_survey_id
                                          is not None),
    ("api-rechecks", "GET"): Route(lambda s: "/api/v1/rechecks/", BUSINESS, api=True, out=False),
    ("api-recheck", "GET"): Route(lambda s: f"/api/v1/rechecks/{s.recheck.pk}/", BUSINESS, api=True),
    ("api-recheck-confirm", "POST"): Route(lambda s: f"/api/v1/rechecks/{s.recheck.pk}/confirm/", CONFIRMERS,
                                           readers=BUSINESS, api=True, multipart=True,
                                           body=lambda s: {"note": "整改成果巩固", "files": _fresh()},
                                           done=_state(RecheckState.CONFIRMED)),
    ("api-recheck-fail", "POST"): Route(lambda s: f"/api/v1/rechecks/{s.recheck.pk}/fail/", FAILERS,
                                        readers=BUSINESS, api=True, multipart=True,
                                        body=lambda s: {"note": "问题反弹", "files": _fresh("反弹.pdf")},
                                        done=_state(RecheckState.FAILED)),
}
