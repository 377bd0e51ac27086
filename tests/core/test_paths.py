"""The subtree of a unit as an index range: the ORM's condition and the SQL one select the same units."""

import pytest

from huitoukan.core import sql
from huitoukan.core.paths import path_range_q, path_range_sql
from huitoukan.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_the_sql_range_selects_the_subtree_as_the_orm_range_does(tree):
    units = list(Unit.objects.order_by("path"))
    assert len(units) > 5
    for unit in units:
        condition, params = path_range_sql(unit.path, 'u."path"')
        found = {row[0] for row in sql.fetch(f'SELECT u."id" FROM {Unit._meta.db_table} u WHERE {condition}', params)}
        subtree = set(Unit.objects.filter(path_range_q(unit.path)).values_list("pk", flat=True))
        assert found == subtree == {u.pk for u in units if u.path.startswith(unit.path)}, unit.full_name
