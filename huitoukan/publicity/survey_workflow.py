"""The way of a survey: 未开始 (draft) → 进行中 (open) → 已结束 (closed), one table, and what each state lets
change. The questions, the scale, the target units and the rules of the results (最少有效样本, 严重偏低线, the
start date) are frozen once the survey opens: nobody may tune them after seeing answers. The services move a
survey only through `move`; the pages ask `actions` what to offer."""

from __future__ import annotations

from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError
from huitoukan.publicity.models import Survey, SurveyState

S = SurveyState

# (state, action) → next state.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "open"): S.OPEN,
    (S.OPEN, "close"): S.CLOSED,
}
ACTION_LABELS = {"open": _("开始"), "close": _("结束")}

# What may be edited in each state: everything before it opens; only the wording and the end date while open.
EDITABLE: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({"title", "instructions", "kind", "campaign", "scale", "questions", "target_units",
                        "starts_on", "ends_on", "min_sample", "low_threshold"}),
    S.OPEN: frozenset({"title", "instructions", "ends_on"}),
    S.CLOSED: frozenset(),
}
# Tokens may be handed out before and during the survey, never after it.
TOKENS_STATES = frozenset({S.DRAFT, S.OPEN})


class SurveyErrorCode(Enum):
    WRONG_STATE = _("评议调查当前为“%(state)s”，不能%(action)s。")
    FROZEN = _("评议调查已开始，题目、评价等次、被评单位和统计规则不能再修改。")
    CLOSED = _("评议调查已结束，不能再修改。")
    TITLE_REQUIRED = _("请填写标题。")
    KIND = _("请选择类型（群众评议或民意调查）。")
    QUESTIONS_REQUIRED = _("请至少填写一道题目。")
    QUESTION_TOO_LONG = _("第%(n)d题超过300个字。")
    QUESTIONS_TOO_MANY = _("题目不能超过%(max)d道。")
    TARGETS_REQUIRED = _("请选择被评单位。")
    TARGET_OUTSIDE = _("“%(unit)s”不在组织单位“%(owner)s”的范围内，不能作为被评单位。")
    TARGET_ABOLISHED = _("“%(unit)s”已撤销，不能作为被评单位。")
    DATES = _("结束日期不能早于开始日期。")
    ENDED = _("结束日期已过，请先修改结束日期再开始。")
    MIN_SAMPLE = _("最少有效样本须为1至100000之间的整数。")
    LOW_THRESHOLD = _("严重偏低线须为1至100之间的整数（满意率%）。")
    SCALE = _("评价等次至少两项，且至少一项计为满意、一项计为不满意；各项名称不能重复。")
    CAMPAIGN_OUTSIDE = _("活动“%(campaign)s”不包括组织单位“%(owner)s”。")
    TOKEN_UNIT = _("“%(unit)s”不是本次评议调查的被评单位。")
    TOKEN_COUNT = _("每次生成的凭证数须为1至%(max)d张。")
    TOKENS_CLOSED = _("评议调查已结束，不能再生成凭证。")
    GROUP = _("请选择评议群体。")
    # The public answer page.
    TOKEN_UNKNOWN = _("评议凭证无效，请核对链接或二维码。")
    TOKEN_USED = _("该评议凭证已使用，每个凭证只能提交一次。")
    NOT_STARTED = _("本次评议调查尚未开始（%(starts)s开始），请届时再填写。")
    NOT_OPEN = _("本次评议调查已结束或暂未开放，感谢您的关注。")
    ANSWER_MISSING = _("请回答第%(n)d题：%(text)s")
    ANSWER_INVALID = _("第%(n)d题的选项无效，请重新选择。")
    ANSWERS = _("答卷不完整：%(problems)s")
    COMMENT_TOO_LONG = _("意见建议不能超过%(max)d个字。")


class SurveyError(DomainError):
    pass


def move(survey: Survey, action: str) -> None:
    """Set the survey's next state, or refuse with the state it is in."""
    after = TRANSITIONS.get((survey.state, action))
    if after is None:
        raise SurveyError(SurveyErrorCode.WRONG_STATE, state=survey.get_state_display(),
                          action=ACTION_LABELS[action])
    survey.state = after


def actions(survey: Survey) -> list[str]:
    """The moves open to the survey in its state."""
    return [action for (state, action) in TRANSITIONS if state == survey.state]


def editable(survey: Survey) -> frozenset[str]:
    return EDITABLE[survey.state]
