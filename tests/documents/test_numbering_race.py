"""Two offices' clerks issuing at the same moment never get one 发文字号 twice: `services.serial_next` run from
many threads at once against a SQLite file opened as the server opens it (BEGIN IMMEDIATE, a busy timeout).

As in tests/notices/test_numbering_race.py, the counter table is put in a file database of its own (the
test database is SQLite in shared memory, whose table locks fail at once instead of waiting)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, router, transaction

from huitoukan.documents import services
from huitoukan.documents.models import DocumentCounter, DocumentKind
from huitoukan.orgs.models import Unit

ALIAS = "documents_race"
THREADS, EACH = 6, 5


class _ToRaceFile:
    def db_for_read(self, model, **hints):
        return ALIAS if model is DocumentCounter else None

    db_for_write = db_for_read


@pytest.fixture
def race_db(tmp_path, monkeypatch, django_db_blocker):
    if connections["default"].vendor != "sqlite":
        pytest.skip("the row lock of PostgreSQL is not exercised here (no server in this suite)")
    default = connections.settings["default"]
    connections.settings[ALIAS] = {**default, "NAME": str(tmp_path / "race.sqlite3"), "TEST": {},
                                   "OPTIONS": dict(default.get("OPTIONS") or {})}
    monkeypatch.setattr(router, "routers", [_ToRaceFile()], raising=False)
    with django_db_blocker.unblock():
        try:
            with connections[ALIAS].cursor() as cursor:
                cursor.execute(f'CREATE TABLE "{Unit._meta.db_table}" ("id" integer PRIMARY KEY)')
                cursor.execute(f'INSERT INTO "{Unit._meta.db_table}" ("id") VALUES (1)')
            with connections[ALIAS].schema_editor() as editor:
                editor.create_model(DocumentCounter)
            yield ALIAS
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]


def test_serials_taken_at_once_are_all_different_and_without_gaps(race_db):
    unit = Unit(pk=1, path="0001", depth=1, name="娄底市")
    got, errors = [], []
    start = threading.Barrier(THREADS)

    def clerk():
        try:
            start.wait()
            for _ in range(EACH):
                with transaction.atomic(using=race_db):
                    got.append(services.serial_next(unit, 2015, DocumentKind.BULLETIN))
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(repr(e))
        finally:
            connections[race_db].close()

    threads = [threading.Thread(target=clerk) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(got) == list(range(1, THREADS * EACH + 1))
