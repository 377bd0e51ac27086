"""The synthetic province: the shape asked for, the same rows for the same seed, totals that add up."""

import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.ledgers import services, totals
from huitoukan.ledgers.models import (
    ClosingRequest,
    ClosingState,
    Item,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
    ItemTally,
    Ledger,
    ProgressEntry,
)
from huitoukan.orgs.models import Person, Unit, UnitLevel
from huitoukan.portal import synth

pytestmark = pytest.mark.django_db


def _digest(seed: int) -> str:
    """Every row of the province that names no id: units, people, ledgers, items, their links and
    progress, and the kept totals."""
    mine = {"ledger__campaign__name__contains": f"合成{seed}"}
    top = Unit.objects.get(name=f"合成省{seed}")
    parts = [
        Unit.objects.filter(path__startswith=top.path).order_by("path").values_list(
            "path", "depth", "numchild", "full_name", "level", "kind"),
        Person.objects.filter(unit__path__startswith=top.path).order_by("id").values_list(
            "unit__full_name", "name", "position", "is_unit_head"),
        Ledger.objects.filter(campaign__name__contains=f"合成{seed}").order_by("id").values_list(
            "unit__full_name", "kind", "person__name"),
        Item.objects.filter(**mine).order_by("ledger__unit__path", "ledger__kind", "seq").values_list(
            "ledger__unit__full_name", "ledger__kind", "seq", "problem", "measures", "four_winds", "deadline_mode",
            "due_on", "status", "closed_on", "lead_leaders__name", "responsible_units__full_name"),
        ProgressEntry.objects.filter(**{f"item__{k}": v for k, v in mine.items()}).order_by("id").values_list(
            "item__ledger__unit__full_name", "item__seq", "reported_on", "status_after", "leader__name"),
        ClosingRequest.objects.filter(**{f"item__{k}": v for k, v in mine.items()}).order_by("id").values_list(
            "item__ledger__unit__full_name", "item__seq", "state", "requested_by__username", "decided_by__username"),
        ItemEvent.objects.filter(**{f"item__{k}": v for k, v in mine.items()}).order_by("id").values_list(
            "item__ledger__unit__full_name", "item__seq", "kind", "status_before", "status_after"),
        ItemTally.objects.filter(campaign__name__contains=f"合成{seed}").order_by(
            "unit__path", "kind", "unit_level", "status", "four_winds").values_list(
            "unit__full_name", "kind", "unit_level", "status", "four_winds", "n"),
    ]
    return hashlib.sha256(repr([list(rows) for rows in parts]).encode()).hexdigest()


def test_a_province_of_the_size_asked_with_a_tree_treebeard_accepts():
    result = synth.synth(units=300, items=1500, seed=3)
    assert (result.units, result.items) == (300, 1500)
    top = Unit.objects.get(name="合成省3")
    assert Unit.objects.filter(path__startswith=top.path).count() == 300
    assert set(Unit.objects.filter(path__startswith=top.path).values_list("level", flat=True)) == {
        UnitLevel.PROVINCE, UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWNSHIP, UnitLevel.VILLAGE}
    assert all(not problems for problems in Unit.objects.find_problems())
    assert Ledger.objects.filter(unit__level=UnitLevel.VILLAGE).count() == 0
    assert totals.all_kept() == totals.all_recounted()
    assert len(result.logins) == 20
    # Progress histories, closings and reopenings, as the services would have left them.
    started = Item.objects.exclude(status=ItemStatus.NOT_STARTED).count()
    assert result.progress == ProgressEntry.objects.count() > started
    assert not Item.objects.filter(status=ItemStatus.NOT_STARTED, progress__isnull=False).exists()
    assert not Item.objects.exclude(status=ItemStatus.NOT_STARTED).filter(progress__isnull=True).exists()
    once_closed = [ItemStatus.CLOSED, ItemStatus.SENT_BACK, ItemStatus.RELAPSED]
    verified = ClosingRequest.objects.filter(state=ClosingState.VERIFIED)
    assert verified.count() == Item.objects.filter(status__in=once_closed).count()
    assert set(verified.values_list("item__status", flat=True)) == set(once_closed)
    pending = ClosingRequest.objects.filter(state=ClosingState.PENDING)
    assert 0 < pending.count() < Item.objects.filter(status=ItemStatus.BASICALLY_DONE).count()
    assert set(pending.values_list("item__status", flat=True)) == {ItemStatus.BASICALLY_DONE}
    assert result.closings == ClosingRequest.objects.count() and result.events == ItemEvent.objects.count()
    # Every leader has a login, 责任领导 of their unit as that person; each closing was asked for by a lead
    # leader of its item, through that login.
    leaders = Person.objects.filter(unit__path__startswith=top.path)
    granted = RoleAssignment.objects.filter(role=Role.RESPONSIBLE_LEADER, person__in=leaders)
    assert set(granted.values_list("person_id", flat=True)) == set(leaders.values_list("pk", flat=True))
    acts_as = dict(granted.filter(user__username__contains="_leader_").values_list("user_id", "person_id"))
    led = {(item_id, person_id) for item_id, person_id in Item.lead_leaders.through.objects.values_list(
        "item_id", "person_id")}
    assert all((item_id, acts_as[user_id]) in led
               for item_id, user_id in ClosingRequest.objects.values_list("item_id", "requested_by_id"))
    for status, kind in ((ItemStatus.SENT_BACK, ItemEventKind.SENT_BACK), (ItemStatus.RELAPSED, ItemEventKind.RELAPSED)):
        assert ItemEvent.objects.filter(kind=kind).count() == Item.objects.filter(status=status).count()
    # The province office sees the closings waiting for it on its home page.
    client = Client()
    client.force_login(get_user_model().objects.get(username="s3_province_campaign_office"))
    home = client.get("/").content.decode()
    assert "待核验的销号申请" in home and f"{pending.count()}</span>" in home
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


@pytest.mark.django_db(transaction=True)  # the reference attaches a scratch database: no transaction around it
def test_the_command_prints_its_time_beside_a_raw_write_of_the_same_rows():
    out, err = io.StringIO(), io.StringIO()
    call_command("synth", "--units", "150", "--items", "500", "--seed", "9", stdout=out, stderr=err)
    text = out.getvalue()
    assert "合成完成：单位 150 个" in text and "synth in all" in text
    assert "raw executemany of the same rows" in text or "raw COPY of the same rows" in text
    assert "s9_county_campaign_office" in text
    # Off a terminal the progress bar is one line per stage, once it is done.
    assert "items      [##############################] " in err.getvalue() and "\r" not in err.getvalue()
    # The reference's copies are gone, and the province is whole.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA database_list")
            assert synth.SCRATCH not in [row[1] for row in cursor.fetchall()]
        else:
            cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", [synth.SCRATCH])
            assert cursor.fetchone() == (0,)
    assert Item.objects.count() == 500 and totals.kept() == totals.recount()


def test_the_reference_writes_the_same_rows_into_copies_of_the_tables():
    result = synth.synth(units=150, items=500, seed=11)
    assert result.rows == sum(t.count for t in result.tables) > 500 + 500 + 500
    assert {t.model for t in result.tables} >= {Unit, Person, Ledger, Item, ProgressEntry, ItemTally}
    if connection.vendor == "postgresql":  # SQLite attaches its scratch database only outside a transaction
        seconds, commit = synth.reference(result)
        assert seconds >= commit >= 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps no statistics until ANALYZE")
def test_synth_leaves_sqlite_statistics_current():
    synth.synth(units=150, items=500, seed=12)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        analyzed = {row[0] for row in cursor.fetchall()}
    assert {"ledgers_item", "orgs_unit", "ledgers_itemtally", "ledgers_progressentry"} <= analyzed
