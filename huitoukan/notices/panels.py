"""What the notices show on the 督查督办 pages (huitoukan.supervision.panels): a finding's 督办通知单 with the
button to issue one, and the reader's open notices on the work list."""

from __future__ import annotations

from huitoukan.notices import rules, selectors
from huitoukan.supervision import rules as supervision_rules

WORK_LIST_ROWS = 20


def finding_notices_panel(finding, user) -> dict | None:
    notices = list(selectors.notices_of_finding(user=user, finding=finding).order_by("-issued_on", "-id"))
    inspection = finding.inspection
    may_issue = (finding.state != "closed" and not supervision_rules.sealed(inspection)
                 and bool(rules.issuing_as(user, finding.unit)) and supervision_rules.speaks_for(user, inspection))
    if not notices and not may_issue:
        return None
    return {"finding": finding, "notices": notices, "may_issue": may_issue}


def open_notices_panel(user) -> dict | None:
    notices = list(selectors.open_notices_for(user).select_related("addressed_unit")[:WORK_LIST_ROWS + 1])
    if not notices:
        return None
    return {"notices": notices[:WORK_LIST_ROWS], "more": len(notices) > WORK_LIST_ROWS}
