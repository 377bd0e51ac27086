"""The way of a 群众意见 (opinion or report), and the one place its state changes.

    (new) --submit--> 待办理 --answer--> 已答复
                      待办理 --refer---> 已移交纪检
                      待办理 --reroute-> 待办理 (at another unit)
    待办理 / 已答复 --ledger--> unchanged (列入台账, once)

An answered or referred opinion is settled where it is: it is no longer re-routed. One put into a ledger stays
with the unit whose ledger holds its item.
"""

from __future__ import annotations

from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError
from huitoukan.publicity.models import Opinion, OpinionState

S = OpinionState


class Action:
    SUBMIT = "submit"
    ANSWER = "answer"
    REFER = "refer"
    REROUTE = "reroute"
    LEDGER = "ledger"


ACTION_LABELS = {Action.SUBMIT: _("提交"), Action.ANSWER: _("答复"), Action.REFER: _("移交纪检"),
                 Action.REROUTE: _("转办"), Action.LEDGER: _("列入台账")}

# (state, action) -> state after; None is an opinion not yet saved.
MOVES: dict[tuple[str | None, str], str] = {
    (None, Action.SUBMIT): S.RECEIVED,
    (S.RECEIVED, Action.ANSWER): S.ANSWERED,
    (S.RECEIVED, Action.REFER): S.REFERRED,
    (S.RECEIVED, Action.REROUTE): S.RECEIVED,
    (S.RECEIVED, Action.LEDGER): S.RECEIVED,
    (S.ANSWERED, Action.LEDGER): S.ANSWERED,
}


class OpinionErrorCode(Enum):
    WRONG_STATE = _("该群众意见当前为“%(state)s”，不能%(action)s。")
    ALREADY_IN_LEDGER = _("该群众意见已列入台账，不能再%(action)s。")
    NOT_HANDLER = _("只有办理单位的活动办可以办理群众意见。")
    SUBJECT_REQUIRED = _("请填写标题。")
    CONTENT_REQUIRED = _("请填写内容。")
    ANSWER_REQUIRED = _("请填写答复内容。")
    REASON_REQUIRED = _("请写明转办理由。")
    NOTE_REQUIRED = _("请写明移交说明。")
    PROBLEM_REQUIRED = _("请填写列入台账的问题。")
    SAME_UNIT = _("该群众意见已由“%(unit)s”办理，请选择其他单位。")
    UNIT_OUT_OF_SCOPE = _("不能转办给“%(unit)s”：只能转给本单位活动办管辖范围内的单位。")
    LEDGER_OTHER_UNIT = _("只能列入办理单位“%(unit)s”自己的台账。")
    UNIT_NOT_PUBLIC = _("该单位未开通意见箱。")


class OpinionError(DomainError):
    pass


def next_state(opinion: Opinion, action: str) -> str:
    """The state `action` leads to from where the opinion is; refused when the way has no such step."""
    before = opinion.state if opinion.pk else None
    after = MOVES.get((before, action))
    if after is None:
        raise OpinionError(OpinionErrorCode.WRONG_STATE, state=opinion.get_state_display(),
                           action=ACTION_LABELS[action])
    if action in (Action.LEDGER, Action.REROUTE) and opinion.ledger_item_id is not None:
        raise OpinionError(OpinionErrorCode.ALREADY_IN_LEDGER, action=ACTION_LABELS[action])
    return after


def allowed(opinion: Opinion, action: str) -> bool:
    try:
        next_state(opinion, action)
    except OpinionError:
        return False
    return True


def move(opinion: Opinion, action: str) -> tuple[str | None, str]:
    """Take the step (not saved): (state before, state after), for the kept counts."""
    before = opinion.state if opinion.pk else None
    opinion.state = next_state(opinion, action)
    return before, opinion.state
