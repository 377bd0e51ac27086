from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class NoticeErrorCode(Enum):
    FINDING_COVERT_BY_OFFICE = _("编号为%(pk)s的问题是暗访发现的，只能由组织暗访的活动办写入督办通知单。")
    FINDING_SEALED = _("编号为%(pk)s的问题是尚未发布的暗访发现的问题，不能写入督办通知单。")
    NOT_ISSUER = _("只有发文单位的活动办或其派出的督导组成员可以下发、退回、办结督办通知单。")
    NOT_THE_OFFICE = _("只有被督办单位本单位的活动办可以答复督办通知单。")
    NOT_THE_OFFICE_OF_UNIT = _("只有本单位的活动办可以修改本单位的督办发文设置。")
    OWN_UNIT = _("不能以“%(unit)s”的名义向本单位下发督办通知单，请选择下级单位。")
    ISSUING_UNIT_CHOICE = _("不能以“%(unit)s”的名义向“%(addressed)s”下发督办通知单。")
    TITLE_REQUIRED = _("请填写标题。")
    PROBLEMS_REQUIRED = _("请列出存在的问题（填写问题或选择督查发现的问题）。")
    REQUIREMENTS_REQUIRED = _("请填写整改要求。")
    DEADLINE_PAST = _("答复期限“%(due)s”不能早于成文日期“%(issued)s”。")
    FINDING_OTHER_UNIT = _("督查发现的问题（编号 %(pk)s）不属于主送单位“%(unit)s”。")
    REPORT_REQUIRED = _("请填写整改情况报告。")
    REASON_REQUIRED = _("请写明退回理由。")
    WRONG_STATE = _("督办通知单当前为“%(state)s”，不能%(action)s。")
    PREFIX_REQUIRED = _("请填写机关代字。")
    ISSUER_REQUIRED = _("请填写发文机关。")
    THRESHOLDS = _("逾期转黄的天数须至少为1，转红的天数须大于转黄的天数。")


class NoticeError(DomainError):
    pass
