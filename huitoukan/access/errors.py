from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class AccessErrorCode(Enum):
    ROLE_NOT_GRANTABLE = _("角色“%(role)s”不能在系统中授予，只能由命令行设置。")
    GROUP_REQUIRED = _("督导组成员须指定所在督导组。")
    PERSON_REQUIRED = _("责任领导须指定对应的人员。")
    PERSON_OUTSIDE_UNIT = _("人员“%(person)s”不在单位“%(unit)s”及其下级单位中。")
    ALREADY_GRANTED = _("用户“%(user)s”已有该角色授权。")
    ADMIN_ROLE_CONFLICT = _("三员分立：用户“%(user)s”已是%(held)s，不能再担任%(role)s。")
    SELF_GRANT = _("不能给自己授予或撤销角色。")
    PERSON_NOT_FOR_ROLE = _("“%(role)s”不对应具体人员，请不要选择对应人员。")


class AccessError(DomainError):
    pass
