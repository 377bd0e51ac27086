"""Route × role rows of the 驾驶舱: read by whoever reads the work of the unit's subtree, like the 汇总.

No side objects: the side's township, under the side's county and its campaign, is the screen asked for."""

from tests.route_types import WORK_READERS, Route, unit_path

ROUTES: dict = {
    ("rollup-dashboard", "GET"): Route(unit_path("/rollups/dashboard/?unit={i}"), WORK_READERS),
}
