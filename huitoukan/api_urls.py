"""Routes of /api/v1/. Each app's api.py holds its endpoints."""

from django.urls import path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from huitoukan.administration import api as administration_api
from huitoukan.api import SchemaView
from huitoukan.assessments import api as assessments_api
from huitoukan.campaigns import api as campaigns_api
from huitoukan.ledgers import api as ledgers_api
from huitoukan.ledgers import linkage_api
from huitoukan.notices import api as notices_api
from huitoukan.notifications import api as notifications_api
from huitoukan.orgs import api as orgs_api
from huitoukan.plans import api as plans_api
from huitoukan.portal import api as portal_api
from huitoukan.rechecks import api as rechecks_api
from huitoukan.reviews import api as reviews_api
from huitoukan.rollups import api as rollups_api
from huitoukan.supervision import api as supervision_api
from huitoukan.supervision import spotcheck_api

# Each endpoint: its route, its view, its name. One line each, so the table reads as the API does.
ENDPOINTS = [
    ("auth/token/", portal_api.TokenObtainApi, "api-token"),
    ("auth/token/revoke/", portal_api.TokenRevokeApi, "api-token-revoke"),
    ("me/", portal_api.MeApi, "api-me"),
    ("units/", orgs_api.UnitListApi, "api-unit-list"),
    ("units/<int:pk>/", orgs_api.UnitDetailApi, "api-unit-detail"),
    ("units/<int:pk>/children/", orgs_api.UnitChildrenApi, "api-unit-children"),
    ("units/<int:pk>/move/", orgs_api.UnitMoveApi, "api-unit-move"),
    ("units/<int:pk>/abolish/", orgs_api.UnitAbolishApi, "api-unit-abolish"),
    ("people/", orgs_api.PersonListApi, "api-person-list"),
    ("people/<int:pk>/", orgs_api.PersonDetailApi, "api-person-detail"),
    ("groups/", orgs_api.GroupListApi, "api-group-list"),
    ("groups/<int:pk>/", orgs_api.GroupDetailApi, "api-group-detail"),
    ("role-assignments/", administration_api.RoleAssignmentListApi, "api-role-assignment-list"),
    ("role-assignments/<int:pk>/", administration_api.RoleAssignmentDetailApi, "api-role-assignment-detail"),
    ("campaigns/", campaigns_api.CampaignListApi, "api-campaign-list"),
    ("campaigns/<int:pk>/", campaigns_api.CampaignDetailApi, "api-campaign-detail"),
    ("campaigns/<int:pk>/copy/", campaigns_api.CampaignCopyApi, "api-campaign-copy"),
    ("campaigns/<int:pk>/phases/", campaigns_api.CampaignPhasesApi, "api-campaign-phases"),
    ("phases/<int:pk>/", campaigns_api.PhaseDetailApi, "api-phase-detail"),
    ("campaigns/<int:pk>/deadlines/", campaigns_api.CampaignDeadlinesApi, "api-campaign-deadlines"),
    ("deadlines/<int:pk>/", campaigns_api.DeadlineDetailApi, "api-deadline-detail"),
    ("ledgers/", ledgers_api.LedgerListApi, "api-ledger-list"),
    ("ledgers/<int:pk>/", ledgers_api.LedgerDetailApi, "api-ledger-detail"),
    ("ledgers/<int:pk>/items/", ledgers_api.LedgerItemsApi, "api-ledger-items"),
    ("items/<int:pk>/", ledgers_api.ItemDetailApi, "api-item-detail"),
    ("items/<int:pk>/progress/", ledgers_api.ItemProgressApi, "api-item-progress"),
    ("items/<int:pk>/evidence/", ledgers_api.ItemEvidenceApi, "api-item-evidence"),
    ("items/<int:pk>/closing/", ledgers_api.ItemClosingApi, "api-item-closing"),
    ("items/<int:pk>/send-back/", ledgers_api.ItemSendBackApi, "api-item-send-back"),
    ("items/<int:pk>/relapse/", ledgers_api.ItemRelapseApi, "api-item-relapse"),
    ("closings/<int:pk>/verify/", ledgers_api.ClosingVerifyApi, "api-closing-verify"),
    ("closings/<int:pk>/return/", ledgers_api.ClosingReturnApi, "api-closing-return"),
    ("my-items/", ledgers_api.MyItemsApi, "api-my-items"),
    *notifications_api.ENDPOINTS,
    *plans_api.ENDPOINTS,
    *reviews_api.ENDPOINTS,
    *supervision_api.ENDPOINTS,
    *spotcheck_api.ENDPOINTS,
    *notices_api.ENDPOINTS,
    *assessments_api.ENDPOINTS,
    *rollups_api.ENDPOINTS,
    *rechecks_api.ENDPOINTS,
    *linkage_api.ENDPOINTS,
]

urlpatterns = [
    # The schema and its viewer need a login like everything else (SERVE_PERMISSIONS defaults to AllowAny).
    path("schema/", SchemaView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[IsAuthenticated]),
         name="api-docs"),
    *(path(route, view.as_view(), name=name) for route, view, name in ENDPOINTS),
]
