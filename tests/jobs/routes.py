"""Route × role rows of the background jobs: a job and its result are its requester's alone.

The "in" job was requested by the 活动办管理员 login; the "out" one by a login of 娄星区: for
everybody else a job answers 404, like one that does not exist.
"""

from huitoukan.access.models import Role
from tests.route_types import LOGGED_IN, Route

REQUESTER = frozenset({Role.CAMPAIGN_OFFICE})

JOB_ROUTES: dict = {
    ("job-list", "GET"): Route(lambda s: "/jobs/", LOGGED_IN, out=False),
    ("job-detail", "GET"): Route(lambda s: f"/jobs/{s.job.pk}/", REQUESTER),
    ("job-download", "GET"): Route(lambda s: f"/jobs/{s.job.pk}/download/", REQUESTER),
}
