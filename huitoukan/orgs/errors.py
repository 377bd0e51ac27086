"""Error codes of the orgs app, each carrying its Chinese message."""

from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class OrgsErrorCode(Enum):
    UNIT_NOT_FOUND = _("找不到单位“%(name)s”。")
    UNIT_AMBIGUOUS = _("单位名称“%(name)s”不唯一，请写出完整路径：%(candidates)s。")
    DUPLICATE_SIBLING = _("“%(parent)s”下已有名为“%(name)s”的单位。")
    DUPLICATE_ROOT = _("已有名为“%(name)s”的顶层单位。")
    LEVEL_ABOVE_PARENT = _("单位层级“%(level)s”不能高于上级单位的层级“%(parent_level)s”。")
    MOVE_INTO_OWN_SUBTREE = _("不能把单位移动到它自己或它的下级单位之下。")
    ALREADY_ABOLISHED = _("单位“%(name)s”已于%(date)s撤销。")
    PARENT_ABOLISHED = _("上级单位“%(name)s”已撤销，不能在其下新增或移入单位。")
    MERGE_TARGET_INVALID = _("并入单位不能是被撤销单位本身或其下级，且必须仍然存在。")
    HAS_ACTIVE_CHILDREN = _("单位“%(name)s”还有%(count)d个未撤销的下级单位，请先撤销或移走下级单位。")
    NAME_INVALID = _("单位名称不能为空，也不能包含“/”。")
    PERSON_UNIT_ABOLISHED = _("单位“%(name)s”已撤销，不能再添加或调入人员。")
    ABOLISH_IN_FUTURE = _("撤销日期%(date)s晚于今天；请在撤销生效后再登记。")
    ABOLISH_BEFORE_ESTABLISHED = _("撤销日期%(date)s早于成立日期%(established)s。")
    ABOLISH_BEFORE_CHILDREN = _("撤销日期%(date)s早于其下级单位的撤销日期%(child_date)s。")
    GROUP_UNIT_OUTSIDE = _("督导单位“%(unit)s”不在派出单位“%(dispatcher)s”的下级范围内，不能由该督导组督导。")
    GROUP_UNIT_ABOLISHED = _("督导单位“%(unit)s”已撤销，不能再安排督导。")
    GROUP_NAME_EMPTY = _("督导组名称不能为空。")
    GROUP_NAME_TAKEN = _("派出单位“%(dispatcher)s”已有名为“%(name)s”的督导组，请换一个督导组名称。")
    GROUP_DISPATCHER_ABOLISHED = _("派出单位“%(dispatcher)s”已撤销，不能再组建督导组。")
    GROUP_LEADER_OUTSIDE = _("组长“%(leader)s”不是派出单位“%(dispatcher)s”或其下级单位的人员。")
    GROUP_LEADER_INACTIVE = _("组长“%(leader)s”已不在职。")
    GROUP_ALREADY_INACTIVE = _("督导组“%(name)s”已停用。")
    GROUP_ALREADY_ACTIVE = _("督导组“%(name)s”在用，无需启用。")


class OrgsError(DomainError):
    pass


# What the unit import finds wrong in a file (the problems every import shares are spreadsheets.SheetIssueCode).
class ImportIssueCode(Enum):
    NAME_SLASH = _("不能包含“/”（“/”用来分隔上级单位的路径）。")
    LABEL_UNKNOWN = _("无法识别“%(value)s”，应为：%(expected)s。")
    DATE_INVALID = _("无法识别的日期“%(value)s”，请写成 2013-06-18 的形式。")
    PARENT_NOT_FOUND = _("上级单位“%(name)s”不存在或不在权限范围内。")
    PARENT_AMBIGUOUS = _("上级单位“%(name)s”不唯一，请写出完整路径，可能是：%(candidates)s。")
    TOP_UNIT_CLI_ONLY = _("上级单位为空表示新增顶层单位，只能在命令行导入。")
    LEVEL_ABOVE_PARENT = _("层级“%(level)s”不能高于上级单位“%(parent)s”的层级“%(parent_level)s”。")
    LEVEL_ABOVE_CHILD = _("改为“%(level)s”后会高于下级单位的层级“%(child_level)s”，请先调整下级单位。")
    DUPLICATE_IN_FILE = _("与第%(other)d行重复：同一上级单位下不能有两个“%(name)s”。")
    ABOLISHED_MISMATCH = _(
        "导入不能撤销单位，也不能修改已撤销的单位；有撤销日期的行须与系统中的已撤销单位一致。"
    )
