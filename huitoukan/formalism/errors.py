from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class FormalismErrorCode(Enum):
    REASON_REQUIRED = _("请填写排除理由。")
    WRONG_STATE = _("预警当前为“%(state)s”，不能%(action)s。")
    NO_ITEM = _("预警没有涉及本单位的台账事项。")


class FormalismError(DomainError):
    pass
