"""Route × role rows of 群众评议 and 民意调查 (merged into tests/test_route_table.py).

Each side gets two surveys owned by its county (涟源市 / 娄星区) about its township: `survey_draft` (未开始) and
`survey_open` (进行中, with one answer), and an unused token of the open one (`survey_token`, raw: each cell runs in
a rolled-back transaction, so every cell may spend it). "In", 涟源市's office manages them and every business role
held at 涟源市 reads them; the public answer page needs no login and answers everybody alike.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.publicity import survey_services
from huitoukan.publicity.models import (
    EvaluatorGroup,
    Survey,
    SurveyKind,
    SurveyResponse,
    SurveyState,
    SurveyToken,
)
from tests.conftest import user_create
from tests.route_types import ALL_ROLES, BUSINESS, SIDE_BUILDERS, Route

OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
CREATED = "2015年度群众评议（新建）"
EDITED = "2015年度群众评议（修改）"


def _dates() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=1), today + dt.timedelta(days=30)


def _survey(actor, side, title):
    starts, ends = _dates()
    return survey_services.survey_create(actor=actor, owner_unit=side.county, kind=SurveyKind.APPRAISAL, title=title,
                                         questions=["整改落实情况", "作风转变情况"], target_units=[side.unit],
                                         starts_on=starts, ends_on=ends)


def _build(inn, out, users, tree):
    office_out = user_create(Role.CAMPAIGN_OFFICE, out.county, username="survey_office_out")
    for side, office in ((inn, users[Role.CAMPAIGN_OFFICE]), (out, office_out)):
        side.survey_draft = _survey(office, side, f"{side.county.name}群众评议（未开始）")
        side.survey_open = survey_services.survey_open(
            actor=office, survey=_survey(office, side, f"{side.county.name}群众评议（进行中）"))
        spent, side.survey_token = survey_services.survey_tokens_issue(
            actor=office, survey=side.survey_open, unit=side.unit, group=EvaluatorGroup.PUBLIC, count=2)
        survey_services.survey_answer(raw_token=spent, answers={q.pk: 0 for q in side.survey_open.questions.all()})


SIDE_BUILDERS.append(_build)


def _form(s, title: str) -> dict:
    starts, ends = _dates()
    return {"owner_unit": s.county.pk, "kind": SurveyKind.POLL, "title": title, "questions": "对整改工作的总体评价",
            "scale": "满意|100|满意\n基本满意|80|满意\n不满意|0|不满意\n不了解||不计", "target_units": [s.unit.pk],
            "starts_on": starts.isoformat(), "ends_on": ends.isoformat(), "min_sample": "30", "low_threshold": "60"}


def _answers(s) -> dict:
    return {f"q{q.pk}": "1" for q in s.survey_open.questions.all()}


def _state(name: str, state: str):
    return lambda s, response: Survey.objects.get(pk=getattr(s, name).pk).state == state


def _answered(s, response) -> bool:
    return SurveyResponse.objects.filter(survey=s.survey_open).count() == 2 and "提交成功" in response.content.decode()


def _issued(s, response) -> bool:
    return SurveyToken.objects.filter(survey=s.survey_open).count() == 4 and "评议二维码" in response.content.decode()


def _path(pattern: str, name: str = "survey_open"):
    return lambda s, p=pattern: f"/publicity/surveys/{getattr(s, name).pk}/" + p


ROUTES: dict = {
    ("survey-list", "GET"): Route(lambda s: "/publicity/surveys/", BUSINESS, out=False),
    ("survey-create", "GET"): Route(lambda s: "/publicity/surveys/new/", OFFICE, readers=BUSINESS, out=False),
    # The form names the owner unit: a refusal is 403 where the reader reads it, 404 for a unit out of scope.
    ("survey-create", "POST"): Route(lambda s: "/publicity/surveys/new/", OFFICE, readers=BUSINESS, ok_status=302,
                                     body=lambda s: _form(s, CREATED),
                                     done=lambda s, r: Survey.objects.filter(title=CREATED, owner_unit=s.county).exists()),
    ("survey-detail", "GET"): Route(_path(""), BUSINESS),
    ("survey-export", "GET"): Route(_path("export/"), BUSINESS),
    ("survey-edit", "GET"): Route(_path("edit/", "survey_draft"), OFFICE, readers=BUSINESS),
    ("survey-edit", "POST"): Route(_path("edit/", "survey_draft"), OFFICE, readers=BUSINESS, ok_status=302,
                                   body=lambda s: _form(s, EDITED),
                                   done=lambda s, r: Survey.objects.get(pk=s.survey_draft.pk).title == EDITED),
    ("survey-open", "POST"): Route(_path("open/", "survey_draft"), OFFICE, readers=BUSINESS, ok_status=302,
                                   done=_state("survey_draft", SurveyState.OPEN)),
    ("survey-close", "POST"): Route(_path("close/"), OFFICE, readers=BUSINESS, ok_status=302,
                                    done=_state("survey_open", SurveyState.CLOSED)),
    ("survey-tokens", "GET"): Route(_path("tokens/"), OFFICE, readers=BUSINESS),
    ("survey-tokens", "POST"): Route(_path("tokens/"), OFFICE, readers=BUSINESS,
                                     body=lambda s: {"unit": s.unit.pk, "group": EvaluatorGroup.SERVICE_USERS,
                                                     "count": "2"}, done=_issued),
    # The public answer page: the token is the control, whoever holds it (logged in or not).
    ("public-survey-answer", "GET"): Route(lambda s: f"/gongkai/wenjuan/{s.survey_token}/", frozenset(ALL_ROLES),
                                           public=True, out=False),
    ("public-survey-answer", "POST"): Route(lambda s: f"/gongkai/wenjuan/{s.survey_token}/", frozenset(ALL_ROLES),
                                            public=True, out=False, body=_answers, done=_answered),
}
