"""The ledger screens, mounted at /ledgers/ (the exports and the import mount their own urls there too)."""

from django.urls import path

from huitoukan.ledgers import linkage_views, past_views, views

urlpatterns = [
    path("", views.ledger_list, name="ledger-list"),
    path("tree/", views.ledger_tree, name="ledger-tree"),
    path("open/", views.ledger_open, name="ledger-open"),
    path("<int:pk>/", views.ledger_detail, name="ledger-detail"),
    path("<int:pk>/as-of/", past_views.ledger_as_of, name="ledger-as-of"),
    path("<int:pk>/items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/progress/", views.item_progress, name="item-progress"),
    path("items/<int:pk>/closing/", views.item_closing_request, name="item-closing-request"),
    path("items/<int:pk>/send-back/", views.item_send_back, name="item-send-back"),
    path("items/<int:pk>/relapse/", views.item_relapse, name="item-relapse"),
    path("closings/<int:pk>/decide/", views.closing_decide, name="closing-decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("my-items/", views.my_items, name="my-items"),
    path("overdue/", views.overdue_items, name="overdue-items"),
    path("items/", views.subtree_items, name="subtree-items"),
    path("linkage/", linkage_views.linkage_index, name="linkage-index"),
    path("items/<int:pk>/hand-up/", linkage_views.link_hand_up, name="link-hand-up"),
    path("items/<int:pk>/claim-from-below/", linkage_views.link_claim_from_below, name="link-claim-from-below"),
    path("links/<int:pk>/withdraw/", linkage_views.link_withdraw, name="link-withdraw"),
    path("links/<int:pk>/claim/", linkage_views.link_claim, name="link-claim"),
    path("links/<int:pk>/decline/", linkage_views.link_decline, name="link-decline"),
]
