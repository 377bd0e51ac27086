"""Ledger downloads, mounted under /ledgers/ beside the ledger screens' own urls."""

from django.urls import path

from huitoukan.ledgers import export_views

urlpatterns = [
    path("<int:ledger_id>/export/", export_views.ledger_export, name="ledger-export"),
    path("export/", export_views.ledger_subtree_export, name="ledger-subtree-export"),
    path("export/job/", export_views.ledger_subtree_export_job, name="ledger-subtree-export-job"),
]
