"""The public answer page of a survey token: no login, the token is the control.

The per-address rate limit of the public forms (publicity.throttle) is not applied here: evaluators in one
meeting room share one address, and a token answers once whatever the address. The page shows the token's
own unit and nothing of any other."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from huitoukan.publicity import survey_services
from huitoukan.publicity.survey_services import MAX_COMMENT
from huitoukan.publicity.survey_workflow import SurveyError, SurveyErrorCode

GONE = 410


def _page(request, token, *, answers=None, comment="", problems=(), status=200):
    survey = token.survey
    questions = survey.questions.order_by("order")
    options = list(enumerate(survey.scale))
    rows = [{"q": q, "name": f"q{q.pk}", "chosen": str((answers or {}).get(q.pk, ""))} for q in questions]
    return render(request, "publicity/public/survey_answer.html", {
        "survey": survey, "unit": token.unit, "group": token.get_group_display(), "rows": rows,
        "options": [(str(i), o["label"]) for i, o in options], "comment": comment, "problems": problems,
        "max_comment": MAX_COMMENT}, status=status)


def _refused(request, token, error: SurveyError):
    status = GONE if error.code == SurveyErrorCode.TOKEN_USED else 200
    return render(request, "publicity/public/survey_message.html", {
        "survey": token.survey, "message": error.message, "used": status == GONE}, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request, token):
    """GET: the questions about the token's unit; POST: the answer, recorded once."""
    found = survey_services.token_find(token)
    if found is None:  # a mistyped link or a QR code misread: say so, as a 404 (no survey is named)
        return render(request, "publicity/public/survey_message.html", {
            "survey": None, "message": SurveyErrorCode.TOKEN_UNKNOWN.value}, status=404)
    refusal = survey_services.token_refusal(found)
    if refusal is not None:
        return _refused(request, found, refusal)
    if request.method == "GET":
        return _page(request, found)
    questions = list(found.survey.questions.order_by("order"))
    answers = {q.pk: request.POST.get(f"q{q.pk}", "").strip() for q in questions}
    comment = request.POST.get("comment", "")
    problems = survey_services.answer_problems(questions, found.survey.scale, answers)
    if len(comment.strip()) > MAX_COMMENT:
        problems.append(str(SurveyErrorCode.COMMENT_TOO_LONG.value % {"max": MAX_COMMENT}))
    if problems:
        # 200, not 400: Django logs every 4xx with its path, and this path is an unspent token.
        return _page(request, found, answers=answers, comment=comment, problems=problems)
    try:
        survey_services.survey_answer(raw_token=token, answers=answers, comment=comment)
    except SurveyError as e:
        if e.code in (SurveyErrorCode.TOKEN_USED, SurveyErrorCode.NOT_OPEN, SurveyErrorCode.NOT_STARTED):
            return _refused(request, found, e)
        return _page(request, found, answers=answers, comment=comment, problems=[e.message])
    return render(request, "publicity/public/survey_message.html", {
        "survey": found.survey, "message": _("提交成功，感谢您参与评议！"), "done": True})
