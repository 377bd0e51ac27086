from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class TwoFactorErrorCode(Enum):
    CODE_WRONG = _("动态口令或恢复码不正确。")
    CODE_MISSING = _("此账号须进行二次验证：请在 otp 字段填写动态口令或恢复码。")
    THROTTLED = _("验证失败次数过多，请 %(seconds)s 秒后再试。")
    NOT_ENROLLED = _("此账号须进行二次验证，但尚未绑定动态口令：请先在网页登录并完成绑定。")
    ALREADY_ENROLLED = _("已绑定动态口令；如需更换，请联系安全管理员重置。")
    NO_ENROLMENT = _("绑定已失效，请重新扫描二维码。")
    SELF_RESET = _("不能重置自己的二次验证。")


class TwoFactorError(DomainError):
    pass
