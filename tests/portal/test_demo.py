"""The 娄底市 demo loads the seed's setting, once."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from huitoukan.access.models import RoleAssignment
from huitoukan.campaigns.models import Campaign, Deadline
from huitoukan.ledgers.catalogue import CENTRAL_TASKS, PROVINCIAL_TASKS
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Item, Ledger, ProgressEntry, SpecialTask, TaskTier
from huitoukan.orgs.models import Person, SupervisionGroup, Unit
from huitoukan.portal.demo import CAMPAIGN_NAME, LOGINS, demo_load
from tests.conftest import built_once

pytestmark = pytest.mark.django_db

COUNTIES = {"娄星区", "冷水江市", "涟源市", "双峰县", "新化县", "娄底经济技术开发区", "万宝新区"}


def counts():
    models = (Unit, Person, SupervisionGroup, RoleAssignment, Campaign, Deadline, get_user_model(), SpecialTask,
              Ledger, Item, ProgressEntry)
    return [m.objects.count() for m in models] + [Unit.history.count(), Item.history.count()]


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the tests that read it, rolled back after them."""
    with built_once(django_db_blocker, tmp_path_factory):
        demo_load()
        yield


@pytest.mark.usefixtures("loaded")
class TestTheLoadedDemo:
    def test_demo_has_the_city_its_counties_and_a_login_per_role(self):
        city = Unit.objects.get(depth=1)
        assert city.name == "娄底市"
        county_names = set(Unit.objects.filter(depth=2, level="county").values_list("name", flat=True))
        assert county_names == COUNTIES
        assert Unit.objects.filter(level="village").count() >= 7
        assert Unit.objects.filter(kind="university").exists()
        assert SupervisionGroup.objects.count() == 3
        assert {a.role for a in RoleAssignment.objects.all()} >= {login.role for login in LOGINS}
        campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
        assert [p.name for p in campaign.phases.all()] == ["自查自纠阶段", "督查核实阶段", "深化整改阶段"]
        assert campaign.deadlines.filter(due_on="2015-02-05").exists()

    def test_running_the_demo_twice_duplicates_nothing(self):
        # given the demo loaded once
        before = counts()
        # when it is loaded again
        demo_load()
        # then nothing was added
        assert counts() == before

    def test_demo_loads_the_special_rectification_catalogue_of_seed_004_and_nothing_invented(self):
        provincial = list(SpecialTask.objects.filter(tier=TaskTier.PROVINCE).order_by("order")
                          .values_list("name", flat=True))
        central = list(SpecialTask.objects.filter(tier=TaskTier.CENTRAL).order_by("order")
                       .values_list("name", flat=True))
        assert provincial == PROVINCIAL_TASKS and len(provincial) == 11
        assert central == CENTRAL_TASKS
        assert SpecialTask.objects.count() == len(PROVINCIAL_TASKS) + len(CENTRAL_TASKS)
        seeds = sorted((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob("004_*.txt"))
        if not seeds:
            pytest.skip("../shared/seeds is not beside this checkout")
        text = seeds[0].read_text(encoding="utf-8")
        for name in provincial + central:
            assert name in text, name

    def test_demo_has_the_four_ledgers_of_lianyuan(self):
        kinds = set(Ledger.objects.filter(unit__name="涟源市").values_list("kind", flat=True))
        assert kinds == set(LedgerKind.values)


# Outside the class: the command loads the demo into an empty database, as `make run` does.
def test_demo_command_prints_every_login(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    for login in LOGINS:
        assert login.username in out
