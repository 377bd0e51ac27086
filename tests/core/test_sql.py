"""core.sql: rows read as SQL become the same model instances the ORM makes, on both databases."""

import datetime as dt

import pytest

from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.models import Deadline
from huitoukan.campaigns.services import DeadlineSpec, PhaseSpec
from huitoukan.core import sql
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Person, UnitLevel

pytestmark = pytest.mark.django_db


def test_an_instance_read_as_sql_equals_the_orms(tree):
    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=tree.city, name="回头看", starts_on=dt.date(2015, 1, 1), ends_on=dt.date(2015, 6, 30),
        phases=[PhaseSpec("查摆", dt.date(2015, 1, 1), dt.date(2015, 3, 1))])
    campaign_services.deadline_add(actor=None, campaign=campaign, spec=DeadlineSpec(
        "信息备案", dt.date(2015, 2, 1), levels=[UnitLevel.COUNTY, UnitLevel.TOWNSHIP]))
    person = org_services.person_create(actor=None, unit=tree.city, name="张三", is_party_leader=True)
    for model, pk in ((Deadline, campaign.deadlines.get().pk), (Person, person.pk)):
        [row] = sql.fetch(f'SELECT {sql.columns(model, "x")} FROM {model._meta.db_table} x WHERE x."id" = %s', [pk])
        made, read = sql.instance(model, row), model.objects.get(pk=pk)
        for field in model._meta.concrete_fields:
            # JSON decoded, booleans as booleans and datetimes aware on SQLite too, as the ORM gives them.
            assert getattr(made, field.attname) == getattr(read, field.attname), field.name
            assert type(getattr(made, field.attname)) is type(getattr(read, field.attname)), field.name
    assert made.is_party_leader is True


def test_a_row_without_its_key_is_no_instance():
    assert sql.instance(Person, (None,) * sql.width(Person)) is None


@pytest.mark.parametrize("value, key", [("12", 12), ("abc", None), (2 ** 63, None), (-(2 ** 63), -(2 ** 63)),
                                        (None, None)])
def test_only_what_can_be_a_key_is_one(value, key):
    assert sql.key_or_none(value) == key


def test_a_datetime_without_its_zone_is_utc():
    assert sql.aware(dt.datetime(2015, 1, 1, 8)) == dt.datetime(2015, 1, 1, 8, tzinfo=dt.UTC)
    assert sql.aware(None) is None
