from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class JobErrorCode(Enum):
    UNKNOWN_KIND = _("未知的任务类型：%(kind)s")
    INTERRUPTED = _("任务已中断 %(attempts)s 次，不再重试，请重新发起。")
    FAILED = _("任务执行出错，请稍后重试；仍然出错请联系系统管理员。")
    NOT_FOUND = _("要导出的内容不存在，或您无权查看。")


class JobError(DomainError):
    pass
