"""The ledger import page, mounted under /ledgers/ beside the ledger screens' own urls."""

from django.urls import path

from huitoukan.ledgers import import_views

urlpatterns = [
    path("import/", import_views.ledger_import, name="ledger-import"),
]
