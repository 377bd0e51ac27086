"""Route × role rows of the campaign management pages: the 活动办 manages the campaigns its unit owns
(CAMPAIGN_MANAGE over the owner unit); the other business roles read them and are refused with 403;
the 三员 and everybody else get 404, as does everybody for 娄星区's campaign (out of scope).

The phase and deadline rows act on the side's campaign's own phase (自查自纠) and deadline (信息备案).
"""

from huitoukan.access.models import Role
from huitoukan.campaigns.models import Campaign, Deadline, Phase
from tests.route_types import BUSINESS, Route

OFFICE = frozenset({Role.CAMPAIGN_OFFICE})


def _by_office(obj) -> bool:
    return obj is not None and obj.history.filter(history_user__username=Role.CAMPAIGN_OFFICE.value).exists()


def _phase(s) -> int:
    # From the history: the path is built again for the report, after a delete too.
    return Phase.history.filter(campaign_id=s.campaign.pk, name="自查自纠").values_list("id", flat=True).first()


def _deadline(s) -> int:
    return Deadline.history.filter(campaign_id=s.campaign.pk, name="信息备案").values_list("id", flat=True).first()


def _campaign_body(s) -> dict:
    return {"name": s.campaign.name + "（调整）", "batch": "", "starts_on": "2014-12-31", "ends_on": "2015-03-31",
            "basis": "湘办发〔2014〕1号", "description": ""}


def _phase_body(s) -> dict:
    return {"name": "督查核实", "starts_on": "2015-01-07", "ends_on": "2015-01-31", "tasks": "逐项核实"}


def _deadline_body(s) -> dict:
    return {"name": "整改报告", "due_on": "2015-02-20", "levels": ["county", "township"], "phase": "自查自纠",
            "basis": "", "contents": ["ledger:leadership", "plan:report"], "step_0_days": "-3", "step_0_to": ["office"]}


CAMPAIGN_MANAGE_ROUTES: dict = {
    # A page about no one campaign: 403 to whoever reads campaigns, 404 to anybody else.
    ("campaign-create", "GET"): Route(lambda s: "/campaigns/new/", OFFICE, readers=BUSINESS, out=False),
    # The form names its owner unit: refused there before the rest is read (404 for 娄星区).
    ("campaign-create", "POST"): Route(
        lambda s: "/campaigns/new/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {"owner_unit": s.county.pk, "name": "涟源市第二轮回头看", "batch": "",
                        "starts_on": "2015-03-01", "ends_on": "2015-06-30", "basis": "", "description": ""},
        done=lambda s, r: _by_office(Campaign.objects.filter(owner_unit=s.county, name="涟源市第二轮回头看").first())),
    ("campaign-edit", "GET"): Route(lambda s: f"/campaigns/{s.campaign.pk}/edit/", OFFICE, readers=BUSINESS),
    ("campaign-edit", "POST"): Route(
        lambda s: f"/campaigns/{s.campaign.pk}/edit/", OFFICE, readers=BUSINESS, ok_status=302, body=_campaign_body,
        done=lambda s, r: _by_office(Campaign.objects.filter(pk=s.campaign.pk, name=s.campaign.name + "（调整）").first())),
    ("phase-add", "GET"): Route(lambda s: f"/campaigns/{s.campaign.pk}/phases/new/", OFFICE, readers=BUSINESS),
    ("phase-add", "POST"): Route(
        lambda s: f"/campaigns/{s.campaign.pk}/phases/new/", OFFICE, readers=BUSINESS, ok_status=302, body=_phase_body,
        done=lambda s, r: _by_office(s.campaign.phases.filter(name="督查核实", order=2).first())),
    ("phase-edit", "GET"): Route(lambda s: f"/campaigns/{s.campaign.pk}/phases/{_phase(s)}/edit/", OFFICE,
                                 readers=BUSINESS),
    ("phase-edit", "POST"): Route(
        lambda s: f"/campaigns/{s.campaign.pk}/phases/{_phase(s)}/edit/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {"name": "自查自纠", "starts_on": "2014-12-31", "ends_on": "2015-01-10", "tasks": "对照检查"},
        done=lambda s, r: _by_office(s.campaign.phases.filter(name="自查自纠", tasks="对照检查").first())),
    ("phase-delete", "POST"): Route(
        lambda s: f"/campaigns/{s.campaign.pk}/phases/{_phase(s)}/delete/", OFFICE, readers=BUSINESS,
        ok_status=302, done=lambda s, r: not s.campaign.phases.filter(name="自查自纠").exists()
        and Phase.history.filter(history_type="-", name="自查自纠",
                                 history_user__username=Role.CAMPAIGN_OFFICE.value).exists()),
    ("deadline-add", "GET"): Route(lambda s: f"/campaigns/{s.campaign.pk}/deadlines/new/", OFFICE, readers=BUSINESS),
    ("deadline-add", "POST"): Route(
        lambda s: f"/campaigns/{s.campaign.pk}/deadlines/new/", OFFICE, readers=BUSINESS, ok_status=302,
        body=_deadline_body,
        done=lambda s, r: _by_office(s.campaign.deadlines.filter(name="整改报告", phase__name="自查自纠").first())),
    ("deadline-edit", "GET"): Route(lambda s: f"/campaigns/{s.campaign.pk}/deadlines/{_deadline(s)}/edit/", OFFICE,
                                    readers=BUSINESS),
    ("deadline-edit", "POST"): Route(
        lambda s: f"/campaigns/{s.campaign.pk}/deadlines/{_deadline(s)}/edit/", OFFICE, readers=BUSINESS,
        ok_status=302, body=lambda s: {**_deadline_body(s), "name": "信息备案"},
        done=lambda s, r: _by_office(s.campaign.deadlines.filter(name="信息备案", levels=["county", "township"]).first())),
    # The delete buttons open a confirmation page whose button POSTs (no script: the CSP forbids inline ones).
    ("phase-delete", "GET"): Route(lambda s: f"/campaigns/{s.campaign.pk}/phases/{_phase(s)}/delete/", OFFICE,
                                   readers=BUSINESS, done=lambda s, r: "确定删除" in r.content.decode()
                                   and s.campaign.phases.filter(name="自查自纠").exists()),
    ("deadline-delete", "GET"): Route(lambda s: f"/campaigns/{s.campaign.pk}/deadlines/{_deadline(s)}/delete/",
                                      OFFICE, readers=BUSINESS, done=lambda s, r: "确定删除" in r.content.decode()
                                      and s.campaign.deadlines.filter(name="信息备案").exists()),
    # 据此建立本单位活动: whoever reads the campaign; the 活动办 makes one for a unit it manages.
    ("campaign-copy", "GET"): Route(lambda s: f"/campaigns/{s.campaign.pk}/copy/", OFFICE, readers=BUSINESS),
    ("campaign-copy", "POST"): Route(
        lambda s: f"/campaigns/{s.campaign.pk}/copy/", OFFICE, readers=BUSINESS, ok_status=302,
        body=lambda s: {"owner_unit": s.county.pk, "name": "复制的回头看", "starts_on": "2016-01-01"},
        done=lambda s, r: _by_office(Campaign.objects.filter(owner_unit=s.county, name="复制的回头看",
                                                             starts_on="2016-01-01").first())),
    ("deadline-delete", "POST"): Route(
        lambda s: f"/campaigns/{s.campaign.pk}/deadlines/{_deadline(s)}/delete/", OFFICE, readers=BUSINESS,
        ok_status=302, done=lambda s, r: not s.campaign.deadlines.filter(name="信息备案").exists()
        and Deadline.history.filter(history_type="-", name="信息备案",
                                    history_user__username=Role.CAMPAIGN_OFFICE.value).exists()),
}


def _api(pattern: str):
    return lambda s, p=pattern: "/api/v1/" + p.format(c=s.campaign.pk, p=_phase(s), d=_deadline(s))


CAMPAIGN_MANAGE_ROUTES.update({
    # --- the same over the API ---
    ("api-campaign-detail", "PATCH"): Route(
        _api("campaigns/{c}/"), OFFICE, readers=BUSINESS, api=True, body=lambda s: {"name": s.campaign.name + "（调整）"},
        done=lambda s, r: r.json()["name"] == s.campaign.name + "（调整）"
        and _by_office(Campaign.objects.get(pk=s.campaign.pk))),
    ("api-campaign-copy", "POST"): Route(
        _api("campaigns/{c}/copy/"), OFFICE, readers=BUSINESS, api=True, ok_status=201,
        body=lambda s: {"owner_unit": s.county.pk, "name": "复制的回头看", "with_deadlines": True},
        done=lambda s, r: r.json()["deadlines"][0]["name"] == "信息备案"
        and _by_office(Campaign.objects.get(owner_unit=s.county, name="复制的回头看"))),
    ("api-campaign-phases", "POST"): Route(
        _api("campaigns/{c}/phases/"), OFFICE, readers=BUSINESS, api=True, ok_status=201, body=_phase_body,
        done=lambda s, r: r.json()["order"] == 2 and _by_office(s.campaign.phases.get(name="督查核实"))),
    ("api-phase-detail", "PATCH"): Route(
        _api("phases/{p}/"), OFFICE, readers=BUSINESS, api=True, body=lambda s: {"tasks": "对照检查"},
        done=lambda s, r: _by_office(s.campaign.phases.filter(name="自查自纠", tasks="对照检查").first())),
    ("api-phase-detail", "DELETE"): Route(
        _api("phases/{p}/"), OFFICE, readers=BUSINESS, api=True, ok_status=204,
        done=lambda s, r: not s.campaign.phases.exists()),
    ("api-campaign-deadlines", "POST"): Route(
        _api("campaigns/{c}/deadlines/"), OFFICE, readers=BUSINESS, api=True, ok_status=201,
        body=lambda s: {"name": "整改报告", "due_on": "2015-02-20", "levels": ["county"], "phase_name": "自查自纠"},
        done=lambda s, r: _by_office(s.campaign.deadlines.filter(name="整改报告", phase__name="自查自纠").first())),
    ("api-deadline-detail", "PATCH"): Route(
        _api("deadlines/{d}/"), OFFICE, readers=BUSINESS, api=True, body=lambda s: {"due_on": "2015-02-06"},
        done=lambda s, r: r.json()["due_on"] == "2015-02-06" and _by_office(s.campaign.deadlines.get())),
    ("api-deadline-detail", "DELETE"): Route(
        _api("deadlines/{d}/"), OFFICE, readers=BUSINESS, api=True, ok_status=204,
        done=lambda s, r: not s.campaign.deadlines.exists()),
})
