"""Below every app: plumbing that any app may import and that imports no app.

API input parsing and paging (`api`), uploads waiting for confirmation (`uploads`), durable file
writes (`files`), download headers (`http`), materialized paths (`paths`), 红黄绿灯 (`lights`),
dates as the attachments write them (`dates`), the base of domain errors (`errors`) and the
readable change history (`timeline`). Nothing here imports `huitoukan.<app>`: the layer contract
in pyproject.toml (`lint-imports`, tests/test_layers.py) fails otherwise.

Still outside: `huitoukan/spreadsheets.py` (the import framework shared by the unit and ledger
imports) belongs here too; it moves once the work in progress on it has landed.
"""
