"""Below every app: plumbing that any app may import and that imports no app.

API input parsing and paging (`api`), uploads waiting for confirmation (`uploads`), durable file
writes (`files`), download headers (`http`), materialized paths (`paths`), 红黄绿灯 (`lights`),
dates as the attachments write them (`dates`), the base of domain errors (`errors`), the
readable change history (`timeline`), the import framework (`importing`: results, upload checks,
the all-or-nothing runner whose preview is the write rolled back; `import_pages`: upload →
preview → confirm) and pickers that search a scoped API list (`pickers`). Nothing here imports `huitoukan.<app>`: the layer contract
in pyproject.toml (`lint-imports`, tests/test_layers.py) fails otherwise.

Still outside: `huitoukan/spreadsheets.py` (the import framework shared by the unit and ledger
imports) belongs here too; it moves once the work in progress on it has landed.
"""
