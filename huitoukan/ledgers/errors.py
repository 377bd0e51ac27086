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


class LinkErrorCode(Enum):
    """上下联动 (ledgers.linkage)."""

    REASON_REQUIRED = _("请填写理由。")
    RECEIVER_NOT_ALLOWED = _("“%(unit)s”不是%(own)s可以提请牵头的单位：只能提请上级单位，或上级单位所属的行业主管部门。")
    ITEM_CLOSED = _("事项已销号，不再提请或认领上下联动。")
    ALREADY_LINKED = _("该事项已提请%(unit)s牵头（%(state)s），撤回或被拒绝后才能另行提请。")
    WRONG_STATE = _("上下联动已是“%(state)s”，不能%(action)s。")
    NOT_ABOVE = _("只有事项所在单位的上级单位活动办才能主动认领。")
    MEASURES_REQUIRED = _("认领须填写牵头整改措施。")
    DUE_REQUIRED = _("认领须填写牵头时限。")
    LEADERS_REQUIRED = _("认领须指定%(unit)s的牵头领导。")
    LEADER_OUTSIDE = _("“%(person)s”不是%(unit)s的人员，不能作为牵头单位领导。")
    RECEIVER_MAY_NOT_WITHDRAW = _("撤回由提请单位办理；您也是受理提请的牵头单位一方，请认领或不予认领。")


class LedgerError(DomainError):
    pass


# What a ledger import finds wrong in a file (the problems every import shares are spreadsheets.SheetIssueCode).
class LedgerImportIssueCode(Enum):
    NO_TABLE = _("找不到台账表头：前%(rows)d行中没有“序号”“突出问题”等列名。")
    KIND_UNKNOWN = _("无法判断是哪一种台账，请在标题中写明（如“领导班子整改落实工作台帐”）或选择台账类型。")
    KIND_MISMATCH = _("文件是“%(found)s”，与所选的“%(chosen)s”不一致。")
    SHEETS_AMBIGUOUS = _("工作簿中有多个台账工作表（%(sheets)s），请每次导入一个，或选择台账类型。")
    UNIT_HEADER_MISMATCH = _("表头的单位是“%(declared)s”，与所选单位“%(unit)s”不一致；请确认是否选错了文件或单位。")
    SHEET_EMPTY = _("工作表是空的，没有台账内容。")
    CAMPAIGN_NOT_FOR_UNIT = _("活动“%(campaign)s”由%(owner)s组织，不适用于%(unit)s。")
    PERSON_REQUIRED = _("党员领导干部整改落实工作台帐须指定本人：请在表头“姓名：”后填写，或选择人员。")
    PERSON_MISMATCH = _("表头姓名“%(sheet)s”与所选人员“%(chosen)s”不一致。")
    PERSON_OUTSIDE = _("“%(name)s”不在%(unit)s及其下级单位。")
    SEQ_INVALID = _("“%(value)s”不是有效的序号，应为正整数。")
    SEQ_DUPLICATE = _("序号%(seq)d与第%(other)d行重复。")
    DATE_IMPOSSIBLE = _("日期“%(value)s”不存在。")
    DATE_UNKNOWN = _("无法识别“%(value)s”，请写成 2015年3月31日、2015-03-31、3月底前、立行立改 或 长期坚持。")
    DATE_CONFLICT = _("同一序号的几行时限不一致：%(values)s。")
    PERSON_NOT_FOUND = _("找不到人员“%(name)s”（须为%(unit)s及其下级单位的人员）。")
    PERSON_AMBIGUOUS = _("人员“%(name)s”不唯一，请在姓名后用括号注明单位，可能是：%(candidates)s。")
    UNIT_NOT_FOUND = _("找不到单位“%(name)s”（须为%(unit)s或其下级单位）。")
    UNIT_AMBIGUOUS = _("单位“%(name)s”不唯一，请写出路径（如 涟源市/桥头河镇），可能是：%(candidates)s。")
    PROGRESS_NEEDS_LEADER = _("填写了“%(column)s”，须有牵头领导（进展由牵头领导填报）。")
    PROGRESS_REQUIRED = _("填写了“%(other)s”，须同时填写本列。")
    ITEM_CLOSED = _("序号%(seq)d的事项已销号，不能再填报进展；如问题反弹，请先在系统中标记反弹。")
    BUSY = _("台账正被其他人同时修改，请稍后重新导入。")


class LedgerImportError(DomainError):
    pass
