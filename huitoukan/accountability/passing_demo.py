"""The demo's 过关: a 述职评议考核 不合格 of one township, then every unit's verdict worked out, so the demo's 汇总
shows units passed and not passed (with the publicity demo's seriously low county and the assessments demo's
failed acceptance, when they ran first). Called by the portal's demo (huitoukan.portal.demo)."""

from __future__ import annotations

import datetime as dt

from huitoukan.accountability import passing_services
from huitoukan.accountability.models import AppraisalResult, ReportAppraisal

APPRAISAL_NOTE = "镇党委书记述职中整改任务落实情况讲得不实，群众反映的办事难问题仍未解决。"


def demo_passing(*, discipline, campaign, unit, today: dt.date) -> ReportAppraisal:
    """`discipline` (the 纪委 login over `unit`) records `unit`'s 述职评议考核 不合格 in `campaign` on `today`;
    every unit the campaign judges then gets its verdict. Returns the appraisal."""
    appraisal = passing_services.appraisal_record(actor=discipline, campaign=campaign, unit=unit,
                                                  result=AppraisalResult.FAILED, appraised_on=today,
                                                  note=APPRAISAL_NOTE, today=today)
    passing_services.verdicts_refresh(campaign, today=today)
    return appraisal
