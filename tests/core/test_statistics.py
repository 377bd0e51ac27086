"""The planner's statistics: ANALYZE, with SQLite's two traps corrected."""

import pytest
from django.db import connection

from huitoukan.core.statistics import planner_statistics_refresh
from huitoukan.orgs import services as org_services

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")
def test_a_sparse_unique_key_finds_one_row_and_an_empty_table_is_known_empty(tree, make_user):
    for i in range(30):  # people without a login: NULLs in the unique Person.user
        org_services.person_create(actor=None, unit=tree.lianyuan, name=f"人员{i}")
    planner_statistics_refresh()
    with connection.cursor() as cursor:
        stats = dict(cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'orgs_person'").fetchall())
        person_user = next(row[1] for row in cursor.execute("PRAGMA index_list(orgs_person)").fetchall()
                           if row[2] and cursor.connection.execute(
                               f"PRAGMA index_info({row[1]})").fetchall()[0][2] == "user_id")
        assert stats[person_user].split(" ")[1] == "1"
        empty = cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'ledgers_closingrequest'").fetchall()
        assert empty == [("0",)]
        plan = cursor.execute("EXPLAIN QUERY PLAN SELECT p.id FROM auth_user u LEFT JOIN orgs_person p "
                              "ON p.user_id = u.id").fetchall()
        assert not any("SCAN p" in row[-1] for row in plan)
