from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class SupervisionErrorCode(Enum):
    TITLE_REQUIRED = _("请填写督查名称。")
    UNITS_REQUIRED = _("请选择被检查单位。")
    UNIT_OUTSIDE = _("被检查单位“%(unit)s”不在组织单位“%(ordering)s”的范围内。")
    METHOD_UNKNOWN = _("督查方法“%(method)s”无效。")
    DATES = _("结束日期不能早于开始日期。")
    MEMBER_CANNOT_READ = _("检查组成员“%(member)s”无权查看被检查单位“%(unit)s”。")
    GROUP_OUTSIDE = _("督导组“%(group)s”不是“%(ordering)s”或其上级单位派出的。")
    DONE = _("督查已完成，不能再修改。")
    NOT_RECORDER = _("只有检查组成员或组织督查的活动办可以记录、办结督查发现的问题。")
    NOT_THE_OFFICE = _("只有被检查单位本单位的活动办可以答复。")
    DESCRIPTION_REQUIRED = _("请填写发现的问题。")
    UNIT_NOT_INSPECTED = _("“%(unit)s”不是这次督查的被检查单位（或其下级单位）。")
    ITEM_OTHER_UNIT = _("台账事项不属于“%(unit)s”。")
    ANSWER_REQUIRED = _("请填写答复内容。")
    WRONG_STATE = _("问题当前为“%(state)s”，不能%(action)s。")
    ALREADY_LINKED = _("该问题已经关联台账事项，不能重复%(action)s。")
    NO_ITEM = _("请选择要回炉的台账事项。")
    LEDGER_OTHER_UNIT = _("台账不属于“%(unit)s”。")
    REASON_REQUIRED = _("请写明回炉理由。")
    COVERT_OWN_UNIT = _("暗访的被检查单位须是组织单位的下级单位，不能是“%(unit)s”本身。")
    COVERT_BY_THE_OFFICE = _("暗访只能由“%(unit)s”本单位的活动办安排（暗访记录只给组织单位本身和检查组看）。")
    KIND_FIXED = _("“%(kind)s”不能改为其他督查方式，其他督查方式也不能改为暗访。")
    SEAL_BEFORE_START = _("解密日期不能早于开始日期。")
    SEALED = _("暗访发现的问题尚未发布，不能%(action)s。")
    COVERT_LINK_BY_OFFICE = _("暗访发现的问题只能由组织暗访的活动办%(action)s，以免暴露检查组成员。")
    NOT_COVERT = _("只有暗访需要发布。")
    ALREADY_RELEASED = _("这次暗访发现的问题已经发布。")
    RELEASE_DATE_PAST = _("解密日期须晚于今天；要立即发布，请选择“立即发布”。")
    FILE_REQUIRED = _("请选择要上传的文件。")
    FILE_TYPE = _("文件“%(name)s”的类型不允许，只能上传：%(allowed)s。")
    FILE_TOO_LARGE = _("文件“%(name)s”超过%(limit)sMB的上限。")
    FILE_EMPTY = _("文件“%(name)s”是空文件。")


class SupervisionError(DomainError):
    pass
