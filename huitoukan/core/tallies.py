"""Kept counts (tallies): rows of (key…, n) that every write adds to, in the write's transaction.

One way to add for every tally of the project: an additive upsert, `n = n + excluded.n`, a
statement per batch, so concurrent writers never lose each other's counts. The rows are sorted
by key first, so two transactions touching the same rows take their locks in the same order
(PostgreSQL would otherwise deadlock them).
"""

from __future__ import annotations

from collections import Counter

from django.db import connection

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
