from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class RecheckErrorCode(Enum):
    EVIDENCE_REQUIRED = _("佐证材料：复查须上传至少一份新的佐证材料（照片、文件等）。")
    EVIDENCE_NOT_FRESH = _("佐证材料：“%(name)s”是本事项已有的材料，复查须上传新的佐证材料。")
    REASON_REQUIRED = _("复查情况：复查未通过须写明问题反弹的情况。")
    NOTE_REQUIRED = _("复查情况：复查确认须写明整改成果是否巩固、如何核实。")
    NOT_DUE = _("本次复查应于%(due)s进行，尚未到期。")
    NOT_PENDING = _("本次复查当前为“%(state)s”，不能再%(action)s。")
    ITEM_NOT_CLOSED = _("事项当前为“%(status)s”，不是已销号状态，不能复查。")
    NOTE_TOO_LONG = _("复查情况：不能超过%(max)s字。")
    PUBLIC_NOT_SET = _("本活动未设定复查时征询反映问题的群众。")
    PUBLIC_ALREADY = _("本次复查已征询过群众。")
    PUBLIC_NONE = _("本事项没有关联的群众来信或意见，无从征询反映问题的群众。")


class RecheckError(DomainError):
    pass
