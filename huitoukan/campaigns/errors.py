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


class CampaignError(DomainError):
    pass
