"""The special-rectification catalogue the demo and fresh installs load, word for word from seed 004 二."""

from __future__ import annotations

from django.db import transaction

from huitoukan.ledgers.models import SpecialTask, TaskTier

SEED_004 = "《关于做好第二批教育实践活动整改落实、建章立制工作的通知》二、深入开展专项整治"

# 省委在第二批活动中确定的11个突出问题的专项整治.
PROVINCIAL_TASKS = [
    "群众办事难",
    "乱收费乱罚款乱摊派",
    "惠民政策不落实和缩水走样",
    "拖欠群众钱款和侵占群众财物",
    "“会所中的歪风”",
    "执法执纪部门办关系案人情案金钱案",
    "信访积案久拖不决久诉不息",
    "利用婚丧喜庆等事宜借机敛财",
    "党员干部参赌涉赌",
    "干部“走读”",
    "村级财务和“三资”管理不规范",
]

# 根据中央要求，及时纳入整治范围的群众反映强烈的突出问题.
CENTRAL_TASKS = [
    "培训中心的腐败浪费",
    "一些地方政府举债建豪楼造地标等奢华浪费建设",
    "“裸官”问题",
    "“吃空饷”",
    "收“红包”及购物卡",
    "领导干部参加天价培训",
    "党政领导干部企业兼职",
    "村、社区等基层干部办事不公、损害群众利益等违法违纪行为特别是涉黑涉恶问题",
]


@transaction.atomic
def catalogue_load() -> int:
    """Load the central and provincial tasks; idempotent. Returns how many were added."""
    added = 0
    for tier, names in ((TaskTier.CENTRAL, CENTRAL_TASKS), (TaskTier.PROVINCE, PROVINCIAL_TASKS)):
        for order, name in enumerate(names, start=1):
            _, created = SpecialTask.objects.get_or_create(
                tier=tier, owner_unit=None, name=name, defaults={"order": order, "basis": SEED_004}
            )
            added += created
    return added
