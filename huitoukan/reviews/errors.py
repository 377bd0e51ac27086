from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class ReviewErrorCode(Enum):
    NOT_EXPECTED = _("“%(unit)s”不在报送事项“%(deadline)s”的报送单位之列。")
    IN_REVIEW = _("报送材料第%(number)s版正在上级审阅中，审阅结束前不能重新生成。")
    ALREADY_APPROVED = _("报送材料已经审阅通过，不能再生成新版本。")
    WRONG_STATE = _("报送材料当前为“%(state)s”，不能%(action)s。")
    REASON_REQUIRED = _("退回须写明理由。")
    COMMENT_EMPTY = _("意见不能为空。")
    ANCHOR_UNKNOWN = _("意见所指的位置“%(anchor)s”不在这一版报送材料中。")
    SELF_REVIEW = _("不能审阅本单位（或本人所在单位）的报送材料。")
    NOT_THE_OFFICE = _("只有本单位活动办可以生成、报送或撤回本单位的报送材料。")
    NOT_THE_HEAD = _("只有本单位主要负责同志可以审核本单位的报送材料。")
    NOT_THE_REVIEWER = _("这一版报送材料正等待“%(unit)s”审阅。")
    NOT_COMPARABLE = _("只能比较同一单位同一报送事项的两个版本。")
    NO_CONTENTS = _("报送事项“%(deadline)s”没有设定报送内容。")


class ReviewError(DomainError):
    pass
