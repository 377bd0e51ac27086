"""Route x role rows of 年度考核, 评先选优, 表扬 and 纪实评价 (merged into tests/test_route_table.py).

The year's pages and 表扬 are read by the unit heads and discipline staff over the unit; 表扬 is recorded by discipline
staff. 纪实评价 is kept by the members of the supervision group assigned the unit (the 督导组 login, whose group is
assigned 涟源市) and read, once sent, by discipline staff (the 组织部); a draft is its group's alone. Each side gets a
draft (`evaluation_draft`, of its township's leading body, rated) and a sent record (`evaluation_sent`).
"""

from __future__ import annotations

from huitoukan.access.models import Role
from huitoukan.accountability import annual_services
from huitoukan.accountability.models import (
    Commendation,
    DocumentaryEvaluation,
    EvaluationRating,
    EvaluationState,
)
from tests.route_types import SIDE_BUILDERS, Route

READERS = frozenset({Role.UNIT_HEAD, Role.DISCIPLINE})
RECORDERS = frozenset({Role.DISCIPLINE})
KEEPERS = frozenset({Role.SUPERVISOR})
EVALUATION_READERS = frozenset({Role.SUPERVISOR, Role.DISCIPLINE})
YEAR = 2015  # the table's campaigns run from 2014-12-31 to 2015-02-28
PRAISE = "整改抓得紧、成效好（路由表）"
RECORD = "班子整改认真（路由表）"
EDITED = "班子整改认真，已修改（路由表）"


def _build(inn, out, users, tree):
    supervisor = users[Role.SUPERVISOR]
    inn.evaluation_draft = annual_services.evaluation_save(actor=supervisor, campaign=inn.campaign, unit=inn.unit,
                                                           record="记录中", rating=EvaluationRating.GOOD)
    sent = annual_services.evaluation_save(actor=supervisor, campaign=inn.campaign, unit=inn.unit, person=inn.person,
                                           record="已报送", rating=EvaluationRating.FAIRLY_GOOD)
    inn.evaluation_sent = annual_services.evaluations_send(actor=supervisor, campaign=inn.campaign,
                                                           evaluations=[sent])[0]
    # 娄星区's group keeps its own: written straight, as its members hold no login of the table.
    made = {state: DocumentaryEvaluation.objects.create(campaign=out.campaign, group=out.group, unit=out.unit,
                                                        record=str(state), rating=EvaluationRating.GOOD, state=state,
                                                        written_by=supervisor)
            for state in (EvaluationState.DRAFT, EvaluationState.SENT)}
    out.evaluation_draft, out.evaluation_sent = made[EvaluationState.DRAFT], made[EvaluationState.SENT]


SIDE_BUILDERS.append(_build)


def _year(pattern: str):
    return lambda s, p=pattern: f"/accountability/annual/{p}?unit={s.county.pk}&year={YEAR}"


def _evaluation(pattern: str, name: str):
    return lambda s, p=pattern: f"/accountability/annual/evaluations/{getattr(s, name).pk}/{p}"


def _praise(s) -> dict:
    return {"year": str(YEAR), "unit": s.unit.pk, "person": "", "reason": PRAISE, "decided_on": "2015-03-01",
            "decider": f"{s.county.name}委", "confirmed": "on"}  # valid whether or not the unit is 不能列入 that year


def _evaluation_form(s) -> dict:
    return {"campaign": s.campaign.pk, "unit": s.county.pk, "person": "", "record": RECORD, "rating": "good"}


def _state(name: str, state: str):
    return lambda s, response: DocumentaryEvaluation.objects.get(pk=getattr(s, name).pk).state == state


ROUTES: dict = {
    ("annual-index", "GET"): Route(_year(""), READERS),
    ("annual-candidates", "GET"): Route(_year("candidates/"), READERS),
    ("annual-export", "GET"): Route(_year("export/"), READERS),
    ("commendation-list", "GET"): Route(_year("commendations/"), READERS),
    # The unit is read first: a head over it gets 403, a unit out of scope 404.
    ("commendation-create", "GET"): Route(lambda s: f"/accountability/annual/commendations/new/?unit={s.county.pk}",
                                          RECORDERS, readers=READERS),
    ("commendation-create", "POST"): Route(lambda s: "/accountability/annual/commendations/new/", RECORDERS,
                                           readers=READERS, ok_status=302, body=_praise,
                                           done=lambda s, r: Commendation.objects.filter(reason=PRAISE,
                                                                                         unit=s.unit).exists()),
    ("evaluation-list", "GET"): Route(lambda s: "/accountability/annual/evaluations/", EVALUATION_READERS, out=False),
    ("evaluation-detail", "GET"): Route(_evaluation("", "evaluation_sent"), EVALUATION_READERS),
    ("evaluation-create", "GET"): Route(lambda s: f"/accountability/annual/evaluations/new/?unit={s.unit.pk}",
                                        KEEPERS, readers=EVALUATION_READERS),
    ("evaluation-create", "POST"): Route(lambda s: "/accountability/annual/evaluations/new/", KEEPERS,
                                         readers=EVALUATION_READERS, ok_status=302, body=_evaluation_form,
                                         done=lambda s, r: DocumentaryEvaluation.objects.filter(
                                             unit=s.county, record=RECORD).exists()),
    # A draft is its group's alone: the 组织部 does not see it (404).
    ("evaluation-edit", "GET"): Route(_evaluation("edit/", "evaluation_draft"), KEEPERS),
    ("evaluation-edit", "POST"): Route(_evaluation("edit/", "evaluation_draft"), KEEPERS, ok_status=302,
                                       body=lambda s: {"record": EDITED, "rating": "average"},
                                       done=lambda s, r: DocumentaryEvaluation.objects.get(
                                           pk=s.evaluation_draft.pk).record == EDITED),
    ("evaluation-send", "POST"): Route(lambda s: "/accountability/annual/evaluations/send/", KEEPERS,
                                       readers=EVALUATION_READERS, ok_status=302,
                                       body=lambda s: {"campaign": s.campaign.pk},
                                       done=_state("evaluation_draft", EvaluationState.SENT)),
}
