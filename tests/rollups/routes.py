"""Route × role rows of the 汇总 pages: read by whoever reads the work of the unit's subtree."""

from tests.route_types import WORK_READERS, Route, unit_path

ROLLUP_ROUTES: dict = {
    # Opens at the top of the reader's scope: a redirect to its 汇总.
    ("rollup-start", "GET"): Route(lambda s: "/rollups/", WORK_READERS, ok_status=302, out=False),
    ("rollup", "GET"): Route(unit_path("/rollups/{i}/"), WORK_READERS),
    ("rollup-export", "GET"): Route(unit_path("/rollups/{i}/export/"), WORK_READERS),
    # 汇总 as it stood on a past day (rollups.past); its file is rollup-export with ?as_of=
    ("rollup-as-of", "GET"): Route(unit_path("/rollups/{i}/as-of/?day=2015-01-20"), WORK_READERS),
    ("api-rollup-supervision", "GET"): Route(unit_path("/api/v1/rollups/{i}/supervision/"), WORK_READERS, api=True),
}
