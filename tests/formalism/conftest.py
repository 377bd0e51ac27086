import pytest

from tests.conftest import built_once
from tests.formalism.world import build_world


@pytest.fixture(scope="module")
def fm_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(fm_world, db):
    return fm_world
