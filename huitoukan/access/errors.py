from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class AccessErrorCode(Enum):
    ROLE_NOT_GRANTABLE = _("角色“%(role)s”不能在系统中授予，只能由命令行设置。")
    GROUP_REQUIRED = _("督导组成员须指定所在督导组。")
    PERSON_REQUIRED = _("责任领导须指定对应的人员。")
    PERSON_OUTSIDE_UNIT = _("人员“%(person)s”不在单位“%(unit)s”及其下级单位中。")
    ALREADY_GRANTED = _("用户“%(user)s”已有该角色授权。")
    SELF_GRANT = _("不能给自己授予或撤销角色。")
    PERSON_NOT_FOR_ROLE = _("“%(role)s”不对应具体人员，请不要选择对应人员。")
    ADMIN_ACCOUNT_BUSINESS_ROLE = _(
        "三员分立：“%(user)s”是%(kind)s，不能授予业务角色“%(role)s”；管理员账号永远不能查看台账。")
    BUSINESS_ACCOUNT_ADMIN_ROLE = _(
        "三员分立：“%(user)s”是业务账号，不能授予管理员角色“%(role)s”；管理员须使用专门新建的管理员账号。")
    ADMIN_ACCOUNT_OTHER_ROLE = _("三员分立：“%(user)s”是%(kind)s，只能授予与之对应的管理员角色，不能授予“%(role)s”。")
    USERNAME_TAKEN = _("用户名“%(user)s”已被使用。")
    USERNAME_INVALID = _("用户名只能包含字母、数字和 @ . + - _，且不超过150个字符。")
    BUSINESS_UNIT_REQUIRED = _("业务账号须指定所属单位。")
    ADMIN_NO_UNIT = _("管理员账号不属于任何单位，请不要指定所属单位。")
    ADMIN_ACCOUNT_COMMAND_LINE = _("管理员账号只能由服务器运维在命令行新建和管理。")
    UNIT_ABOLISHED = _("单位“%(unit)s”已撤销，不能再新建其账号。")
    PASSWORD_INVALID = _("密码：%(reasons)s")
    ALREADY_DISABLED = _("账号“%(user)s”已停用。")
    ALREADY_ENABLED = _("账号“%(user)s”已是启用状态。")
    SELF_ACCOUNT = _("不能停用、启用或重置自己的账号。")


class AccessError(DomainError):
    pass
