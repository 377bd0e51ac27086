from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class AssessmentErrorCode(Enum):
    NAME_REQUIRED = _("请填写检验标准名称。")
    NAME_TAKEN = _("活动“%(campaign)s”已有名为“%(name)s”的检验标准。")
    ITEMS_REQUIRED = _("检验标准至少要有一个条目。")
    ITEM_TEXT_REQUIRED = _("第%(n)s条的内容不能为空。")
    ITEM_MAX = _("第%(n)s条的满分须大于0且不超过1000。")
    NO_DRAFT = _("“%(name)s”没有待发布的草稿版本。")
    NOT_PUBLISHED = _("“%(name)s”第%(number)s版尚未发布，不能用于评分。")
    UNIT_NOT_IN_CAMPAIGN = _("单位“%(unit)s”不参加活动“%(campaign)s”。")
    SCORE_MISSING = _("请为第%(n)s条“%(item)s”评分。")
    SCORE_RANGE = _("第%(n)s条“%(item)s”的得分须在0到%(max)s之间。")
    SCORE_UNKNOWN = _("评分中含有不属于该版本检验标准的条目。")
    DATE_REQUIRED = _("请填写%(field)s。")
    THRESHOLDS = _("分类标准须满足 100 ≥ “好” > “较好” > “一般” > 0。")
    TASK_DONE = _("该任务已完成。")
    NOT_SPECIAL_PLAN = _("只有专项整治方案的任务才进行评估验收。")
    RESULT_UNKNOWN = _("验收结果“%(result)s”无效。")
    OWN_UNIT = _("不能对本单位的专项整治任务进行评估验收。")
    OWN_UNIT_SCORE = _("不能对本单位评分或确认本单位的回炉、补课任务完成：由上级或督导组研判。")
    NOT_ASSESSOR = _("只有活动办或督导组可以评分、确认回炉补课任务完成。")
    NOT_MANAGER = _("只有组织活动的活动办可以修改检验标准和分类标准。")
    FILE_REQUIRED = _("请选择要上传的文件。")


class AssessmentError(DomainError):
    pass
