from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class NotificationErrorCode(Enum):
    ROBOT_URL_SCHEME = _("Webhook 地址须以 https:// 或 http:// 开头。")
    ROBOT_HOST_NOT_ALLOWED = _("Webhook 地址的主机“%(host)s”不在允许的机器人主机中（%(allowed)s）；如需使用，请系统管理员在配置 HUITOUKAN_ROBOT_HOSTS 中加入。")
    ROBOT_SECRET_WECOM = _("企业微信群机器人没有加签密钥，请留空。")
    ROBOT_INACTIVE = _("群机器人“%(name)s”已停用，不能发送测试消息。")


class NotificationError(DomainError):
    pass
