from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class LedgerErrorCode(Enum):
    PROBLEM_REQUIRED = _("“%(column)s”不能为空。")
    PERSON_LEDGER_NEEDS_PERSON = _("党员领导干部整改落实工作台帐须指定本人。")
    PERSON_OUTSIDE_UNIT = _("“%(person)s”不在“%(unit)s”，不能作为本台账的牵头领导。")
    UNIT_OUTSIDE_SCOPE = _("责任单位“%(unit)s”不在“%(ledger_unit)s”及其下级范围内。")
    DEADLINE_DATE_REQUIRED = _("时限类型为“限期”时须填写整改时限日期。")
    DEADLINE_DATE_FORBIDDEN = _("“%(mode)s”的事项不填写具体日期。")
    NOT_A_LEAD_LEADER = _("只有本事项的牵头领导（或活动办代填）才能填报进展。")
    LEADER_NOT_OF_ITEM = _("“%(person)s”不是本事项的牵头领导。")
    ITEM_CLOSED = _("事项已销号，不能再填报进展；如问题反弹，请先按“反弹”重新打开。")
    STATUS_NOT_ALLOWED = _("填报进展时只能将状态设为“整改中”或“基本完成”。")
    EVIDENCE_REQUIRED = _("申请销号须附佐证材料（事项回炉或反弹后，须附新的佐证材料）。")
    CLOSING_WITHOUT_PROGRESS = _("事项尚无整改进展，不能申请销号；请先填报整改落实情况。")
    NOT_A_LEAD_LEADER_TO_CLOSE = _("只有本事项的牵头领导才能申请销号。")
    LEADER_REQUIRED = _("活动办代填时须选择牵头领导。")
    REPORTED_IN_FUTURE = _("填报日期%(date)s晚于今天。")
    CLOSED_NOT_EDITABLE = _("事项已销号，不能再修改；如需调整，请先回炉或标记反弹。")
    CLOSING_PENDING = _("该事项已有待核验的销号申请。")
    CLOSING_NOT_PENDING = _("该销号申请已处理（%(state)s）。")
    SELF_VERIFY = _("销号须由申请人和牵头领导以外的人员核验。")
    REASON_REQUIRED = _("请填写理由。")
    RELAPSE_ONLY_CLOSED = _("只有已销号的事项才能标记为反弹。")
    PLAN_AFTER_PROGRESS = _("事项已有整改进展，填报时须写明“整改落实情况”。")
    PROGRESS_OR_PLAN_REQUIRED = _("“整改落实情况”和“后段工作措施”不能都为空。")
    SEND_BACK_NOT_ALLOWED = _("未启动或已在回炉中的事项不能回炉；回炉针对已开展整改、基本完成、已销号或反弹的事项。")
    FILE_TOO_LARGE = _("文件“%(name)s”超过%(limit)dMB。")
    FILE_TYPE = _("文件“%(name)s”的类型不允许，只接受：%(allowed)s。")
    FILE_EMPTY = _("文件“%(name)s”是空文件。")
    SPECIAL_TASK_OUT_OF_TIER = _("专项整治任务“%(task)s”不属于本单位可用的任务目录。")
    WRONG_KIND_FIELD = _("“%(field)s”只用于%(kind)s。")


class LedgerError(DomainError):
    pass
