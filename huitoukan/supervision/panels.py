"""Places on the 督查督办 pages that the apps above fill (huitoukan.core.panels): the 督办通知单 of a finding on
its page, and a reader's open notices on the work list.

- FINDING_PAGE: `context(finding, user)`, shown under the finding.
- WORK_LIST: `context(user)`, shown on /supervision/ after the reader's findings.
"""

from huitoukan.core.panels import Panels

FINDING_PAGE = Panels("supervision.finding")
WORK_LIST = Panels("supervision.work-list")
