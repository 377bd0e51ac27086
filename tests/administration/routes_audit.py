"""Route × role rows of the 审计管理员's console: the security log, its export; nobody else, not even the
other two administrators, gets anything but the absent page's 404."""

from huitoukan.access.models import Role
from tests.route_types import Route

AUDITOR = frozenset({Role.AUDIT_ADMIN})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

AUDIT_ROUTES: dict = {
    ("audit-log", "GET"): Route(lambda s: "/audit/?verify=1&kind=denied&outcome=denied", AUDITOR, out=False),
    ("audit-export", "GET"): Route(lambda s: "/audit/export/?kind=login", AUDITOR, out=False,
                                   done=lambda s, r: r["Content-Type"] == XLSX),
}
