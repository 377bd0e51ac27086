from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class PublicityErrorCode(Enum):
    PERSONAL_LEDGER = _("党员领导干部整改落实工作台帐（领导班子成员个人整改措施）只在本单位内公开，不能在公开网站发布。")
    NOTHING_CHOSEN = _("请至少选择一项要公开的内容。")
    ITEM_NOT_OF_LEDGER = _("所选事项（编号 %(pk)s）不属于台账“%(ledger)s”。")
    PREVIEW_STALE = _("预览之后内容有变化（事项、进展或隐去的文字），请重新预览后再发布。")
    NOT_PUBLISHED = _("“%(title)s”当前未发布，无需撤回。")
    REASON_REQUIRED = _("请写明撤回理由。")
    TITLE_REQUIRED = _("请填写公开标题。")
    ALREADY_EXISTS = _("“%(title)s”已有公开事项，请在原有的公开事项中修改。")
    COMMITMENT_REQUIRED = _("请填写承诺事项。")
    BULLETIN_REQUIRED = _("请填写通报的标题和正文。")
    EMPTY_COMMITMENTS = _("“%(unit)s”在本活动中还没有公开承诺，请先填写承诺事项。")


class PublicityError(DomainError):
    pass
