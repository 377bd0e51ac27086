"""Kept counts (tallies): rows of (key…, n) that every write adds to, in the write's transaction.

One way to add for every tally of the project: an additive upsert, `n = n + excluded.n`, a
statement per batch, so concurrent writers never lose each other's counts. The rows are sorted
by key first, so two transactions touching the same rows take their locks in the same order
(PostgreSQL would otherwise deadlock them).
"""

from __future__ import annotations

from collections import Counter

from django.db import connection

from huitoukan.core.paths import ancestor_paths

_BATCH = 400


def tally_add(model, columns: tuple[str, ...], counts: Counter) -> None:
    """Add each count to the row of its key (columns[:-1]), creating rows as needed; the last
    column is the count."""
    rows = sorted((*key, n) for key, n in counts.items() if n)
    if not rows:
        return
    table = model._meta.db_table
    keys = ", ".join(columns[:-1])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            batch = rows[start:start + _BATCH]
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "
                f"ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n",
                [value for row in batch for value in row],
            )


def tally_rows(model, columns: tuple[str, ...], **filters) -> Counter:
    """The non-zero counts of a tally (or of its rows matching `filters`) keyed like `tally_add`."""
    return Counter({row[:-1]: row[-1] for row in model.objects.filter(**filters).exclude(n=0)
                    .values_list(*columns)})


def counted_up(per_unit: Counter, paths: dict[int, str]) -> Counter:
    """Counts of each unit's own (keyed (unit_id, *key)) counted again at every unit above it: what a
    tally holds, for the recounts the tests and `totals-rebuild --check` hold it to. `paths` maps every
    unit id to its tree path."""
    ids = {path: pk for pk, path in paths.items()}
    counts: Counter = Counter()
    for (unit_id, *key), n in per_unit.items():
        for path in ancestor_paths(paths[unit_id], include_self=True):
            counts[(ids[path], *key)] += n
    return +counts


def moved(own: Counter, old_ancestor_ids: list[int], new_ancestor_ids: list[int]) -> Counter:
    """The change when a unit moves: its own rows (`own`, keyed without the unit, its whole subtree)
    leave the ancestors it left and join those it joined; the ancestors it kept are untouched."""
    left, joined = set(old_ancestor_ids) - set(new_ancestor_ids), set(new_ancestor_ids) - set(old_ancestor_ids)
    delta: Counter = Counter()
    for key, n in own.items():
        for unit_id in left:
            delta[(unit_id, *key)] -= n
        for unit_id in joined:
            delta[(unit_id, *key)] += n
    return delta


def tally_replace(model, columns: tuple[str, ...], counts: Counter) -> int:
    """Replace every row of a tally by `counts` (a rebuild; the caller holds the transaction)."""
    model.objects.all().delete()
    model.objects.bulk_create([model(**dict(zip(columns, (*key, n), strict=True))) for key, n in counts.items()],
                              batch_size=2000)
    return len(counts)
