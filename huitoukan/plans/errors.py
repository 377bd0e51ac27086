"""The plans' error codes: each value is the Chinese message the page, the API and the import show."""

from enum import Enum

from django.utils.translation import gettext_lazy as _

from huitoukan.core.errors import DomainError


class PlanErrorCode(Enum):
    DUPLICATE_KIND = _("“%(unit)s”在活动“%(campaign)s”中已有%(kind)s。")
    CAMPAIGN_NOT_HERE = _("活动“%(campaign)s”不适用于“%(unit)s”：只能在本单位或上级单位组织的活动中制定方案。")
    UNKNOWN_KIND = _("未知的方案类型“%(kind)s”。")
    TITLE_REQUIRED = _("请填写标题。")
    TASK_EVALUATED = _("任务“%(task)s”已经评估验收，不能删除（验收记录须保留）。")
    # Names the item by its id only: the message must not show an item the writer may not read.
    ITEM_ELSEWHERE = _("整改事项（编号 %(item)s）不存在，或不属于本方案的单位和活动，不能关联。")
    TASK_REQUIRED = _("请填写任务。")
    STEP_REQUIRED = _("请填写步骤。")
    ORDER_TAKEN = _("任务书中已有序号为 %(order)d 的任务。")
    OWNER_ELSEWHERE = _("责任人“%(person)s”不在“%(unit)s”及其下级单位中。")
    FILE_TYPE = _("附件“%(name)s”不是 Word（.docx）或 PDF 文件。")
    FILE_TOO_LARGE = _("附件“%(name)s”超过了 %(limit)d MB 的上限。")
    FILE_EMPTY = _("附件“%(name)s”是空的。")
    FILE_DAMAGED = _("附件“%(name)s”不是有效的 %(kind)s 文件，或已损坏、加密，请重新保存后再上传。")
    FILE_ACTIVE = _("附件“%(name)s”含有脚本或自动执行的内容，已拒绝；请另存为普通 PDF 后再上传。")


class PlanError(DomainError):
    pass
