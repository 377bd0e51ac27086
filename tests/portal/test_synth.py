"""The synthetic province: the shape asked for, the same rows for the same seed, totals that add up."""

import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from huitoukan.ledgers import services, totals
from huitoukan.ledgers.models import Item, Ledger
from huitoukan.orgs.models import Unit, UnitLevel
from huitoukan.portal import synth

pytestmark = pytest.mark.django_db


def _digest(seed: int) -> str:
    rows = Item.objects.filter(ledger__campaign__name__contains=f"合成{seed}").order_by(
        "ledger__unit__path", "ledger__kind", "seq").values_list(
        "ledger__unit__full_name", "ledger__kind", "seq", "problem", "four_winds", "deadline_mode", "due_on", "status")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_a_province_of_the_size_asked_with_a_tree_treebeard_accepts():
    result = synth.synth(units=300, items=1500, seed=3)
    assert (result.units, result.items) == (300, 1500)
    top = Unit.objects.get(name="合成省3")
    assert Unit.objects.filter(path__startswith=top.path).count() == 300
    assert set(Unit.objects.filter(path__startswith=top.path).values_list("level", flat=True)) == {
        UnitLevel.PROVINCE, UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWNSHIP, UnitLevel.VILLAGE}
    assert all(not problems for problems in Unit.objects.find_problems())
    assert Ledger.objects.filter(unit__level=UnitLevel.VILLAGE).count() == 0
    assert totals.kept() == totals.recount()
    assert len(result.logins) == 16
    # The rows were written with their ids: the next write through the services gets a fresh one.
    office = get_user_model().objects.get(username="s3_county_campaign_office")
    ledger = Ledger.objects.filter(unit__full_name=[r for r in result.logins if r[0] == office.username][0][2],
                                   kind="leadership").get()
    leader = ledger.unit.people.first()
    item = services.item_create(actor=office, ledger=ledger, problem="新发现的问题", lead_leaders=[leader],
                                responsible_units=[ledger.unit])
    services.progress_add(actor=office, item=item, progress="已着手整改", leader=leader)
    assert Item.objects.count() == 1501 and totals.kept() == totals.recount()


def _built_and_forgotten(seed: int) -> str:
    """The digest of a province of `seed`, built in a transaction that is then rolled back."""
    with transaction.atomic():
        synth.synth(units=120, items=600, seed=seed)
        digest = _digest(seed)
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_gives_the_same_rows():
    first = _built_and_forgotten(5)
    assert not Item.objects.exists()
    assert _built_and_forgotten(5) == first
    assert _built_and_forgotten(6) != first


def test_the_command_prints_its_time_beside_a_raw_write():
    out = io.StringIO()
    call_command("synth", "--units", "150", "--items", "500", "--seed", "9", stdout=out)
    text = out.getvalue()
    assert "合成完成：单位 150 个" in text and "raw write of the same item rows" in text
    assert "s9_county_campaign_office" in text
