"""Routes of /api/v1/. Each app's api.py holds its endpoints."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from huitoukan.administration import api as administration_api
from huitoukan.campaigns import api as campaigns_api
from huitoukan.ledgers import api as ledgers_api
from huitoukan.orgs import api as orgs_api
from huitoukan.portal import api as portal_api

urlpatterns = [
    # The schema and its viewer need a login like everything else (SERVE_PERMISSIONS defaults to AllowAny).
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="api-schema",
    ),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", permission_classes=[IsAuthenticated]
        ),
        name="api-docs",
    ),
    path("auth/token/", portal_api.TokenObtainApi.as_view(), name="api-token"),
    path("auth/token/revoke/", portal_api.TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("me/", portal_api.MeApi.as_view(), name="api-me"),
    path("units/", orgs_api.UnitListApi.as_view(), name="api-unit-list"),
    path("units/<int:pk>/", orgs_api.UnitDetailApi.as_view(), name="api-unit-detail"),
    path("units/<int:pk>/children/", orgs_api.UnitChildrenApi.as_view(), name="api-unit-children"),
    path("units/<int:pk>/move/", orgs_api.UnitMoveApi.as_view(), name="api-unit-move"),
    path("units/<int:pk>/abolish/", orgs_api.UnitAbolishApi.as_view(), name="api-unit-abolish"),
    path("people/", orgs_api.PersonListApi.as_view(), name="api-person-list"),
    path("people/<int:pk>/", orgs_api.PersonDetailApi.as_view(), name="api-person-detail"),
    path("groups/", orgs_api.GroupListApi.as_view(), name="api-group-list"),
    path("groups/<int:pk>/", orgs_api.GroupDetailApi.as_view(), name="api-group-detail"),
    path(
        "role-assignments/",
        administration_api.RoleAssignmentListApi.as_view(),
        name="api-role-assignment-list",
    ),
    path(
        "role-assignments/<int:pk>/",
        administration_api.RoleAssignmentDetailApi.as_view(),
        name="api-role-assignment-detail",
    ),
    path("campaigns/", campaigns_api.CampaignListApi.as_view(), name="api-campaign-list"),
    path(
        "campaigns/<int:pk>/", campaigns_api.CampaignDetailApi.as_view(), name="api-campaign-detail"
    ),
    path("ledgers/", ledgers_api.LedgerListApi.as_view(), name="api-ledger-list"),
    path("ledgers/<int:pk>/", ledgers_api.LedgerDetailApi.as_view(), name="api-ledger-detail"),
    path("ledgers/<int:pk>/items/", ledgers_api.LedgerItemsApi.as_view(), name="api-ledger-items"),
    path("items/<int:pk>/", ledgers_api.ItemDetailApi.as_view(), name="api-item-detail"),
    path("items/<int:pk>/progress/", ledgers_api.ItemProgressApi.as_view(), name="api-item-progress"),
    path("items/<int:pk>/evidence/", ledgers_api.ItemEvidenceApi.as_view(), name="api-item-evidence"),
    path("items/<int:pk>/closing/", ledgers_api.ItemClosingApi.as_view(), name="api-item-closing"),
    path(
        "items/<int:pk>/send-back/",
        ledgers_api.ItemSendBackApi.as_view(),
        name="api-item-send-back",
    ),
    path(
        "items/<int:pk>/relapse/",
        ledgers_api.ItemRelapseApi.as_view(),
        name="api-item-relapse",
    ),
    path(
        "closings/<int:pk>/verify/",
        ledgers_api.ClosingVerifyApi.as_view(),
        name="api-closing-verify",
    ),
    path(
        "closings/<int:pk>/return/",
        ledgers_api.ClosingReturnApi.as_view(),
        name="api-closing-return",
    ),
    path("my-items/", ledgers_api.MyItemsApi.as_view(), name="api-my-items"),
]
