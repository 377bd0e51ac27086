"""Reads on every request's path, written once as SQL: Django compiles an ORM query anew on each
call, and on this machine kind that costs 0.5–3 ms a query (joins and subqueries the most) against
0.05–0.2 ms to run it. A page that makes ten such reads spends most of its time compiling them.

Only the reads every page makes (a user's grants, a unit by id) and the kept totals of the roll-up
pages are written here; everything else stays in the ORM. The SQL names tables and columns from the
models' own metadata, and rows become model instances through `Model.from_db`, as the ORM makes them.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection


@cache
def _fields(model) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    fields = model._meta.concrete_fields
    attnames = tuple(f.attname for f in fields)
    return tuple(f.column for f in fields), attnames, attnames.index(model._meta.pk.attname)


def columns(model, alias: str) -> str:
    """The model's columns for a SELECT list, in the order `instance` reads them back."""
    return ", ".join(f'{alias}."{column}"' for column in _fields(model)[0])


def width(model) -> int:
    return len(_fields(model)[0])


def _one_converter(functions: tuple, col):
    """The column's converters as one function of the value. Values the driver already gives as the ORM
    would (SQLite's dates) pass through; SQLite's naive UTC datetimes get their zone as make_aware
    would give it: the general path cost a province's tree column half a millisecond."""
    names = [getattr(f, "__name__", "") for f in functions]
    if names == ["convert_datefield_value"]:
        convert = functions[0]
        return lambda v: v if v is None or isinstance(v, dt.date) else convert(v, col, connection)
    if names == ["convert_datetimefield_value"]:
        convert, zone = functions[0], connection.timezone
        return lambda v: (v.replace(tzinfo=zone) if type(v) is dt.datetime and v.tzinfo is None
                          else convert(v, col, connection))

    def converted(value):
        for convert in functions:
            value = convert(value, col, connection)
        return value
    return converted


@cache
def _converters(model) -> tuple:
    """The ORM's converters of each column that has any (the backend's, then the field's from_db_value):
    on SQLite, datetimes made aware and 0/1 made booleans; JSON decoded on both."""
    converters = []
    for at, field in enumerate(model._meta.concrete_fields):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((at, _one_converter(tuple(found), col)))
    return tuple(converters)


def instance(model, row, start: int = 0):
    """The model instance of `row[start:start + width(model)]` (from `columns`), or None when the
    row's primary key there is NULL (an outer join that found nothing); values converted as the ORM does."""
    _columns, names, pk_at = _fields(model)
    values = row[start:start + len(names)]
    if values[pk_at] is None:
        return None
    converters = _converters(model)  # one database per process: its converters are the model's for good
    if converters:
        values = list(values)
        for at, convert in converters:
            values[at] = convert(values[at])
    return model.from_db(DEFAULT_DB_ALIAS, names, values)


def fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def key_or_none(value) -> int | None:
    """`value` as a primary key, or None for what can be no row's key (text, a number out of a 64-bit
    column's range): the ORM's lookups treat those as matching nothing, and so must the SQL here."""
    try:
        key = int(value)
    except (ValueError, TypeError):
        return None
    return key if -(2 ** 63) <= key < 2 ** 63 else None


def marks(values) -> str:
    """Placeholders for an IN list; NULL for an empty one (IN (NULL) matches nothing)."""
    return ", ".join(["%s"] * len(values)) or "NULL"


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A datetime column's value as the ORM gives it: SQLite's driver returns the stored UTC time without
    its zone (PostgreSQL's returns it aware)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value
