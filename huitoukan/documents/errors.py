from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class DocumentErrorCode(Enum):
    NOT_DRAFTER = _("只有发文单位的活动办可以起草、修改和印发公文。")
    NOT_THE_OFFICE_OF_UNIT = _("只有本单位的活动办可以修改本单位的机关代字。")
    ISSUING_UNIT_CHOICE = _("不能以“%(unit)s”的名义就“%(subject)s”发文。")
    CAMPAIGN_OTHER_UNIT = _("活动“%(campaign)s”不适用于“%(unit)s”，请另选活动。")
    KIND_INVALID = _("文种“%(kind)s”无效，只能是通报、简报或情况报告。")
    FIELD_REQUIRED = _("请填写“%(field)s”。")
    BODY_EMPTY = _("正文不能为空。")
    ADDRESSEE_REQUIRED = _("%(kind)s未填写“主送机关”，不能印发：请先修改草稿，填写主送机关。")
    WRONG_STATE = _("公文当前为“%(state)s”，不能%(action)s。")
    DATE_BEFORE_DRAFT = _("成文日期“%(date)s”不能早于起草依据的数据日期“%(read_on)s”。")
    DATE_IN_FUTURE = _("成文日期“%(date)s”不能晚于今天（%(today)s）。")
    PREFIX_INVALID = _("“%(kind)s”的机关代字“%(prefix)s”不能为空，也不能含空格或括号。")


class DocumentError(DomainError):
    pass
