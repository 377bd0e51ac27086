"""The sender's contact is unreadable in the database: in its column (read with raw SQL) and in the database
file itself, copied with SQLite's online backup API (what `huitoukan backup` uses), searched in UTF-8 and UTF-16.

A transactional test: the backup reads committed pages only (within the usual rolled-back test transaction the
copy would wait for it forever)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from django.db import connection
from django.test import Client

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.publicity import contact as contact_module
from huitoukan.publicity import opinion_services
from huitoukan.publicity.contact import Contact
from huitoukan.publicity.models import Opinion
from tests.conftest import Tree, user_create
from tests.publicity.routes_opinions import publish_ledger
from tests.publicity.test_opinions import FORM, form_data

NAME, PHONE = "欧阳春花", "13975812345"


def _raw_contact_column(pk: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT contact_ciphertext FROM {Opinion._meta.db_table} WHERE id = %s", [pk])
        return bytes(cursor.fetchone()[0])


def _database_file_bytes(tmp_path) -> bytes:
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "copy.sqlite3")
    connection.connection.backup(target)
    target.close()
    return (tmp_path / "copy.sqlite3").read_bytes()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the file of a SQLite database")
@pytest.mark.django_db(transaction=True)
def test_contact_details_are_unreadable_in_the_column_and_in_the_database_file(tmp_path, settings):
    # given a unit with a public page
    settings.MEDIA_ROOT = tmp_path
    tree = Tree()
    office = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="file_office")
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.lianyuan, name="涟源市回头看",
                                                 starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28),
                                                 phases=[], deadlines=[])
    ledger = ledger_services.ledger_open(actor=None, campaign=campaign, unit=tree.lianyuan, kind=LedgerKind.LEADERSHIP)
    item = ledger_services.item_create(actor=None, ledger=ledger, problem="文山会海问题突出", measures="压缩会议")
    publish_ledger(office, ledger, [item])

    # when a report is filed through the form with a name and a phone number
    response = Client().post(FORM.format(pk=tree.lianyuan.pk),
                             form_data(anonymous="", contact_name=NAME, contact_means=PHONE, subject="路面坑洼"))
    opinion = Opinion.objects.get(number=response.context["opinion"].number)

    # then the column holds the versioned SM4-GCM form: 1 + 12 + ciphertext + 16 bytes, no plain text
    raw = _raw_contact_column(opinion.pk)
    assert raw[:1] == contact_module.VERSION and len(raw) > 1 + 12 + 16
    # and neither the column nor the database file holds the name or the phone, in UTF-8 or UTF-16
    data = _database_file_bytes(tmp_path)
    assert opinion.number.encode() in data and "路面坑洼".encode() in data  # the copy does hold the opinion
    for secret in (NAME, PHONE):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in raw
            assert secret.encode(encoding) not in data
    # and they come back, for the office
    assert opinion_services.opinion_contact_reveal(actor=office, opinion=opinion) == Contact(name=NAME, means=PHONE)
