"""The demo's 督办通知单: the lead's loader calls `demo_notices`."""

from __future__ import annotations

import datetime as dt

from huitoukan.notices import services
from huitoukan.notices.models import Notice


def demo_notices(issuer_user, finding_or_none, addressed_unit, today: dt.date) -> Notice:
    """Issue one notice in the demo: from `issuer_user` (a 活动办 login above `addressed_unit`, or a 督导组
    member over it) about `finding_or_none` (a supervision finding of the unit) or the seed's wording."""
    findings = [finding_or_none] if finding_or_none is not None else []
    problems = "" if findings else "整改台账不完善，部分问题未明确整改时限和责任人\n群众反映的问题未及时回应"
    return services.notice_issue(
        actor=issuer_user, addressed_unit=addressed_unit, findings=findings, problems=problems,
        title=f"关于督促{addressed_unit.name}抓好整改落实的督办通知",
        requirements="对整改效果不理想、群众不满意的问题，责成“回炉”“补课”，逐项明确责任、逐项落实措施，限期整改到位。",
        answer_due_on=today + dt.timedelta(days=7), today=today)
