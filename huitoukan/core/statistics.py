"""Statistics for the query planner: ANALYZE, and on SQLite two corrections to what it records.

SQLite keeps no statistics until ANALYZE runs, and without them it misplans the tree's range queries
(a county's unit page: 2.5 s instead of 35 ms). What ANALYZE writes has two traps on this schema:

- A sparse unique column (orgs.Person.user: most people have no login) is counted with all its NULLs
  as one value, so a key lookup looks like it matches every row, and a join on it (a login's person)
  scans the whole table for each row. A lookup of one key of a unique index finds one row at most:
  the last figure of such an index is set to 1.
- An empty table gets no statistics at all, and the planner then takes it for a million rows: the
  home page's pending closings (none yet) were read by walking every item of the province (230 ms)
  instead of the empty table. Such a table is recorded with the rows it has (none); SQLite's
  `PRAGMA optimize` analyzes it again once it has grown.

Run after loading many rows (synth, big imports, totals-rebuild); a no-op but ANALYZE on PostgreSQL.
"""

from __future__ import annotations

from django.db import connections


def planner_statistics_refresh(*, using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
            return
        if connection.vendor != "sqlite":
            return
        cursor.execute("ANALYZE")
        tables = [row[0] for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()]
        stats = {(tbl, idx): stat for tbl, idx, stat in cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1")}
        analyzed = {tbl for tbl, _idx in stats}
        for table in tables:
            if table not in analyzed:
                cursor.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, NULL, '0')", [table])
                continue
            quoted = connection.ops.quote_name(table)
            for _seq, index, unique, *_rest in cursor.execute(f"PRAGMA index_list({quoted})").fetchall():
                stat = stats.get((table, index))
                if not unique or stat is None:
                    continue
                figures = stat.split(" ")
                # figures: rows, then rows per key of the first column, of the first two, ... of the whole key
                key_columns = len(cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(index)})").fetchall())
                if len(figures) > key_columns and figures[key_columns] != "1":
                    figures[key_columns] = "1"
                    cursor.execute("UPDATE sqlite_stat1 SET stat = %s WHERE tbl = %s AND idx = %s",
                                   [" ".join(figures), table, index])
        # The planner reads sqlite_stat1 when it loads the schema: make this connection read it again.
        cursor.execute("ANALYZE sqlite_schema")
