"""Writes of 群众评议 and 民意调查: setting a survey up, opening and closing it, handing out one-time tokens, and
the public's answer through a token.

Every office write needs SURVEY_MANAGE over the survey's owner unit (policy.require: 403 to a reader in scope,
404 to everybody else) and leaves a history record naming the actor. A token is handed out once and kept only
as its SHA-256 digest; an answer spends it in the same transaction that records the answer, so two posts of one
token record one answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import hooks
from huitoukan.orgs import totals
from huitoukan.orgs.models import Unit
from huitoukan.publicity import survey_selectors, survey_workflow
from huitoukan.publicity.models import (
    EvaluatorGroup,
    Survey,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
    SurveyState,
    SurveyToken,
    default_scale,
)
from huitoukan.publicity.redaction import Redactor
from huitoukan.publicity.survey_workflow import SurveyError
from huitoukan.publicity.survey_workflow import SurveyErrorCode as E

TOKEN_BYTES = 16  # 128 bits: a token cannot be guessed, so the token alone is the control
MAX_TOKENS = 500  # per issue: a meeting room's or a village's worth
MAX_QUESTIONS = 50
MAX_COMMENT = 2000
MAX_SAMPLE = 100000


def token_digest(raw: str) -> str:
    """The SHA-256 hex digest kept in place of a token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _save(survey: Survey, actor, reason: str) -> None:
    survey._history_user = actor
    survey._change_reason = reason[:100]
    survey.save()


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update(of=("self",)).select_related("owner_unit", "campaign").get(pk=survey.pk)


def _questions(questions: Iterable[str]) -> list[str]:
    texts = [q.strip() for q in questions if q and q.strip()]
    if not texts:
        raise SurveyError(E.QUESTIONS_REQUIRED)
    if len(texts) > MAX_QUESTIONS:
        raise SurveyError(E.QUESTIONS_TOO_MANY, max=MAX_QUESTIONS)
    for n, text in enumerate(texts, start=1):
        if len(text) > 300:
            raise SurveyError(E.QUESTION_TOO_LONG, n=n)
    return texts


def _scale(scale) -> list[dict]:
    scale = default_scale() if scale is None else [
        {"label": str(o["label"]).strip(), "score": o.get("score"), "satisfied": o.get("satisfied")} for o in scale]
    labels = [o["label"] for o in scale]
    counted = {o["satisfied"] for o in scale}
    if len(scale) < 2 or not all(labels) or len(set(labels)) != len(labels) or not {True, False} <= counted:
        raise SurveyError(E.SCALE)
    return scale


def _targets(owner: Unit, units: Iterable[Unit]) -> list[Unit]:
    found = list(Unit.objects.filter(pk__in={u.pk for u in units}).order_by("path"))
    if not found:
        raise SurveyError(E.TARGETS_REQUIRED)
    for unit in found:
        if not unit.path.startswith(owner.path):
            raise SurveyError(E.TARGET_OUTSIDE, unit=unit.name, owner=owner.name)
        if unit.abolished_on is not None:
            raise SurveyError(E.TARGET_ABOLISHED, unit=unit.name)
    return found


def _check(survey: Survey) -> None:
    if not (survey.title or "").strip():
        raise SurveyError(E.TITLE_REQUIRED)
    if survey.ends_on < survey.starts_on:
        raise SurveyError(E.DATES)
    if not 1 <= survey.min_sample <= MAX_SAMPLE:
        raise SurveyError(E.MIN_SAMPLE)
    if not 1 <= survey.low_threshold <= 100:
        raise SurveyError(E.LOW_THRESHOLD)
    if survey.kind not in SurveyKind.values:
        raise SurveyError(E.KIND)
    campaign = survey.campaign
    if campaign is not None and not survey.owner_unit.path.startswith(campaign.owner_unit.path):
        raise SurveyError(E.CAMPAIGN_OUTSIDE, campaign=campaign.name, owner=survey.owner_unit.name)


def _questions_set(survey: Survey, texts: list[str]) -> None:
    survey.questions.all().delete()
    SurveyQuestion.objects.bulk_create(
        [SurveyQuestion(survey=survey, order=n, text=text) for n, text in enumerate(texts, start=1)])


@transaction.atomic
def survey_create(*, actor, owner_unit: Unit, kind: str, title: str, questions: Iterable[str],
                  target_units: Iterable[Unit], starts_on: dt.date, ends_on: dt.date, instructions: str = "",
                  min_sample: int = 30, low_threshold: int = 60, scale: list[dict] | None = None,
                  campaign=None) -> Survey:
    """A survey (未开始) of `owner_unit` about units of its subtree."""
    policy.require(actor, Perm.SURVEY_MANAGE, owner_unit)
    texts = _questions(questions)
    survey = Survey(owner_unit=owner_unit, campaign=campaign, kind=kind, title=(title or "").strip(),
                    instructions=(instructions or "").strip(), scale=_scale(scale), starts_on=starts_on,
                    ends_on=ends_on, min_sample=min_sample, low_threshold=low_threshold, created_by=actor)
    _check(survey)
    targets = _targets(owner_unit, target_units)
    _save(survey, actor, _("新建评议调查"))
    _questions_set(survey, texts)
    survey.target_units.set(targets)
    return survey


def _current(survey: Survey, key: str):
    if key == "questions":
        return list(survey.questions.order_by("order").values_list("text", flat=True))
    if key == "target_units":
        return set(survey.target_units.values_list("pk", flat=True))
    if key == "campaign":
        return survey.campaign_id
    return getattr(survey, key)


def _wanted(key: str, value):
    if key == "questions":
        return [q.strip() for q in value if q and q.strip()]
    if key == "target_units":
        return {u.pk for u in value}
    if key == "campaign":
        return value.pk if value is not None else None
    if key in ("title", "instructions"):
        return (value or "").strip()
    if key == "scale":
        return _scale(value)
    return value


@transaction.atomic
def survey_update(*, actor, survey: Survey, **changes) -> Survey:
    """Change what the survey's state leaves open (survey_workflow.EDITABLE); a change to anything frozen is
    refused, so a form may send every field back as it was."""
    survey = _locked(survey)
    policy.require(actor, Perm.SURVEY_MANAGE, survey.owner_unit)
    unknown = set(changes) - survey_workflow.EDITABLE[SurveyState.DRAFT]
    if unknown:
        raise TypeError(f"survey_update() got unexpected fields {sorted(unknown)}")
    editable = survey_workflow.editable(survey)
    changed = {k: v for k, v in changes.items() if _wanted(k, v) != _current(survey, k)}
    if set(changed) - editable:
        raise SurveyError(E.CLOSED if survey.state == SurveyState.CLOSED else E.FROZEN)
    if not changed:
        return survey
    texts = _questions(changed.pop("questions")) if "questions" in changed else None
    targets = _targets(survey.owner_unit, changed.pop("target_units")) if "target_units" in changed else None
    for key, value in changed.items():
        setattr(survey, key, value if key == "campaign" else _wanted(key, value))
    _check(survey)
    _save(survey, actor, _("修改评议调查"))
    if texts is not None:
        _questions_set(survey, texts)
    if targets is not None:
        survey.target_units.set(targets)
    return survey


@transaction.atomic
def survey_open(*, actor, survey: Survey, today: dt.date | None = None) -> Survey:
    """开始: from now on the tokens answer (within the period) and the survey's rules are frozen."""
    survey = _locked(survey)
    policy.require(actor, Perm.SURVEY_MANAGE, survey.owner_unit)
    today = today or timezone.localdate()
    survey_workflow.move(survey, "open")
    if not survey.questions.exists():
        raise SurveyError(E.QUESTIONS_REQUIRED)
    if not survey.target_units.exists():
        raise SurveyError(E.TARGETS_REQUIRED)
    if survey.ends_on < today:
        raise SurveyError(E.ENDED)
    _save(survey, actor, _("开始评议调查"))
    return survey


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> Survey:
    """结束: no token answers any more; each unit then marked 群众满意度严重偏低 is counted for the roll-ups."""
    survey = _locked(survey)
    policy.require(actor, Perm.SURVEY_MANAGE, survey.owner_unit)
    survey_workflow.move(survey, "close")
    _save(survey, actor, _("结束评议调查"))
    low = survey_selectors.survey_low_units(survey)
    totals.work_counted_many([(unit, None, survey_selectors.LOW_KEY) for unit in
                              Unit.objects.filter(pk__in=low).order_by("pk")],
                             topic=survey_selectors.SATISFACTION_TOPIC, campaign_id=survey.campaign_id)
    hooks.units_changed(hooks.SATISFACTION_MARKED, low, survey.campaign_id)  # e.g. the kept 过关 verdicts
    return survey


@transaction.atomic
def survey_tokens_issue(*, actor, survey: Survey, unit: Unit, group: str, count: int) -> list[str]:
    """`count` one-time tokens for respondents of `group` about `unit`. The tokens are returned here, once: only
    their digests are kept, so a lost sheet is replaced by issuing more, never by reprinting."""
    survey = _locked(survey)
    policy.require(actor, Perm.SURVEY_MANAGE, survey.owner_unit)
    if survey.state not in survey_workflow.TOKENS_STATES:
        raise SurveyError(E.TOKENS_CLOSED)
    if group not in EvaluatorGroup.values:
        raise SurveyError(E.GROUP)
    if not survey.target_units.filter(pk=unit.pk).exists():
        raise SurveyError(E.TOKEN_UNIT, unit=unit.name)
    if not 1 <= count <= MAX_TOKENS:
        raise SurveyError(E.TOKEN_COUNT, max=MAX_TOKENS)
    batch = (survey.tokens.aggregate(m=Max("batch"))["m"] or 0) + 1
    raw = [secrets.token_urlsafe(TOKEN_BYTES) for _n in range(count)]
    SurveyToken.objects.bulk_create([SurveyToken(survey=survey, unit=unit, group=group, digest=token_digest(t),
                                                 batch=batch, created_by=actor) for t in raw])
    _save(survey, actor, _("生成评议凭证%(n)d张（%(unit)s，%(group)s，第%(batch)d批）") % {
        "n": count, "unit": unit.name, "group": EvaluatorGroup(group).label, "batch": batch})
    return raw


# --- the public's answer --------------------------------------------------------------------------------------

def token_find(raw: str) -> SurveyToken | None:
    """The token row of a raw token, with its survey and unit; None for a token never issued."""
    return (SurveyToken.objects.select_related("survey", "unit").filter(digest=token_digest(raw or "")).first())


def token_refusal(token: SurveyToken, *, today: dt.date | None = None) -> SurveyError | None:
    """Why the token cannot answer now (used; the survey not open or outside its period), or None."""
    today = today or timezone.localdate()
    survey = token.survey
    if token.used_at is not None:
        return SurveyError(E.TOKEN_USED)
    if survey.state == SurveyState.DRAFT or (survey.state == SurveyState.OPEN and today < survey.starts_on):
        return SurveyError(E.NOT_STARTED, starts=f"{survey.starts_on:%Y-%m-%d}")
    if survey.state != SurveyState.OPEN or today > survey.ends_on:
        return SurveyError(E.NOT_OPEN)
    return None


def answer_problems(questions: list[SurveyQuestion], scale: list, answers: Mapping) -> list[str]:
    """What is wrong with an answer sheet {question id: option index}, one message per question."""
    problems = []
    for n, question in enumerate(questions, start=1):
        value = answers.get(question.pk)
        if value in (None, ""):
            problems.append(E.ANSWER_MISSING.value % {"n": n, "text": question.text})
            continue
        try:
            index = int(value)
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index < len(scale):
            problems.append(E.ANSWER_INVALID.value % {"n": n})
    return [str(p) for p in problems]


@transaction.atomic
def survey_answer(*, raw_token: str, answers: Mapping, comment: str = "",
                  today: dt.date | None = None) -> SurveyResponse:
    """Record one respondent's answers and spend the token: the token is marked used by a conditional update
    that only one of two concurrent posts can win."""
    token = token_find(raw_token)
    if token is None:
        raise SurveyError(E.TOKEN_UNKNOWN)
    refusal = token_refusal(token, today=today)
    if refusal is not None:
        raise refusal
    survey = token.survey
    questions = list(survey.questions.order_by("order"))
    problems = answer_problems(questions, survey.scale, answers)
    if problems:
        raise SurveyError(E.ANSWERS, problems="；".join(problems))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise SurveyError(E.COMMENT_TOO_LONG, max=MAX_COMMENT)
    # The sheet records no name: a phone number, ID number or e-mail written into the comment is not kept either.
    comment = Redactor().text(comment)
    # Spent only while its survey is still open: a close committed meanwhile (PostgreSQL's READ COMMITTED)
    # leaves the token unspent and the answer out of the locked results.
    if SurveyToken.objects.filter(pk=token.pk, used_at__isnull=True, survey__state=SurveyState.OPEN).update(
            used_at=timezone.now()) != 1:
        raise SurveyError(E.TOKEN_USED)
    return SurveyResponse.objects.create(
        token=token, survey=survey, unit=token.unit, group=token.group, comment=comment,
        answers={str(q.pk): int(answers[q.pk]) for q in questions})

