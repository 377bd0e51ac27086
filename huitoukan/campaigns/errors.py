from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class CampaignErrorCode(Enum):
    DATES_REVERSED = _("%(what)s的结束日期（%(ends)s）早于开始日期（%(starts)s）。")
    PHASE_OUTSIDE_CAMPAIGN = _("阶段“%(name)s”的日期超出了活动的起止日期。")
    PHASES_OVERLAP = _("阶段“%(first)s”与“%(second)s”的日期重叠。")
    DUPLICATE_NAME = _("“%(unit)s”已有名为“%(name)s”的活动。")
    UNKNOWN_LEVEL = _("未知的单位层级“%(level)s”。")
    NO_LEVELS = _("报送事项“%(name)s”须指定至少一个适用层级。")
    PHASE_UNKNOWN = _("报送事项“%(name)s”所属的阶段“%(phase)s”不在本活动的阶段中。")
    CAMPAIGN_SHRINKS = _("活动的起止日期须包含其各阶段：阶段“%(name)s”在新的起止日期之外。")
    DUPLICATE_PHASE = _("本活动已有名为“%(name)s”的阶段。")
    NOT_FOUND = _("没有名为“%(name)s”的活动。")
    AMBIGUOUS = _("名为“%(name)s”的活动不止一个（组织单位：%(where)s），请先改名区分。")
    UNKNOWN_TARGET_RULE = _("报送事项“%(name)s”的报送单位范围“%(rule)s”无效。")
    UNKNOWN_KIND = _("报送事项“%(name)s”的适用单位类型“%(kind)s”无效。")
    NO_CONTENTS = _("报送事项“%(name)s”须选择至少一项报送内容。")
    UNKNOWN_CONTENT = _("报送事项“%(name)s”的报送内容“%(part)s”无效。")
    STEP_DAYS_INVALID = _("%(what)s第%(row)s步：天数须为 -60 到 60 之间的整数（负数为到期前，正数为逾期后），现为“%(days)s”。")
    STEP_DAYS_REPEATED = _("%(what)s第%(row)s步：天数 %(days)s 与前面的步骤重复。")
    STEP_NO_RECIPIENTS = _("%(what)s第%(row)s步：须选择至少一类催办对象。")
    STEP_UNKNOWN_RECIPIENT = _("%(what)s第%(row)s步：催办对象“%(to)s”无效。")
    STEPS_MALFORMED = _("%(what)s的格式不正确：每一步须有天数（days）和催办对象（to）。")
    DUE_OUTSIDE_CAMPAIGN = _("报送事项“%(name)s”的截止日期（%(due)s）须在活动的起止日期（%(starts)s至%(ends)s）之内。")
    CAMPAIGN_SHRINKS_DEADLINE = _("活动的起止日期须包含其各报送时限：报送事项“%(name)s”（截止%(due)s）在新的起止日期之外。")
    REVIEW_LEVEL_INVALID = _("逐级审阅层级“%(level)s”无效：须为组织单位（%(owner)s）以下的层级。")
    PARENT_NOT_ABOVE = _("上级活动“%(name)s”须由组织单位的上级单位组织。")
    RECHECK_MONTHS_INVALID = _("复查时间（销号后月数）：“%(part)s”无效，须为 1 到 %(max)s 之间的整数月数，用逗号分隔，如“3,6,12”。")


class CampaignError(DomainError):
    pass
