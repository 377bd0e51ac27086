"""Error codes of 责任追究 (accountability cases): each value is the Chinese message shown."""

from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class CaseErrorCode(Enum):
    TITLE_REQUIRED = _("请填写案由。")
    FACTS_REQUIRED = _("请填写基本情况。")
    DECIDER_REQUIRED = _("请填写决定机关。")
    DATE_REQUIRED = _("请填写决定日期。")
    CAUSE_INVALID = _("问题性质无效。")
    KIND_INVALID = _("第%(row)s条处理措施的处理方式无效。")
    RESPONSIBILITY_INVALID = _("第%(row)s条处理措施的责任类型无效。")
    ACTION_DATE_REQUIRED = _("第%(row)s条处理措施请填写处理日期。")
    PERSON_REQUIRED = _("第%(row)s条处理措施是追究个人责任，请选择责任人。")
    UNIT_ACTION_NO_PERSON = _("第%(row)s条处理措施是单位责任，不能选择责任人。")
    PERSON_OTHER_UNIT = _("第%(row)s条处理措施的责任人“%(name)s”不是“%(unit)s”或其下级单位的人员。")
    DOUBLE_CHECK_DIRECT = _("一案双查须同时追究当事人责任和相关领导责任：缺少当事人责任的处理措施。")
    DOUBLE_CHECK_LEADER = _("一案双查须同时追究当事人责任和相关领导责任：缺少相关领导责任的处理措施。")
    DOUBLE_CHECK_SAME_PERSON = _("一案双查的当事人和相关领导须是两个不同的人。")
    CAMPAIGN_OTHER_UNIT = _("活动“%(name)s”不是“%(unit)s”或其上级单位开展的活动，不能关联。")
    LINK_OTHER_UNIT = _("%(what)s（编号 %(pk)s）不属于“%(unit)s”或其下级单位，不能关联。")
    WRONG_STATE = _("该责任追究当前为“%(state)s”，不能%(action)s。")
    ACTION_OF_OTHER_CASE = _("该处理措施不属于本责任追究。")
    FILES_REQUIRED = _("请选择要上传的材料。")


class CaseError(DomainError):
    pass
