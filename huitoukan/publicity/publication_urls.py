from django.urls import path

from huitoukan.publicity import commitment_views
from huitoukan.publicity import publication_views as views

urlpatterns = [
    path("", views.publicity_index, name="publicity-index"),
    path("new/", views.publication_create, name="publication-create"),
    path("<int:pk>/", views.publication_detail, name="publication-detail"),
    path("<int:pk>/choose/", views.publication_choose, name="publication-choose"),
    path("<int:pk>/publish/", views.publication_publish, name="publication-publish"),
    path("<int:pk>/withdraw/", views.publication_withdraw, name="publication-withdraw"),
    path("versions/<int:pk>/", views.version_detail, name="publication-version"),
    path("campaigns/<int:pk>/policy/", views.publicity_policy, name="publicity-policy"),
    path("commitments/", commitment_views.commitment_list, name="commitment-list"),
    path("commitments/new/", commitment_views.commitment_create, name="commitment-create"),
    path("commitments/<int:pk>/edit/", commitment_views.commitment_edit, name="commitment-edit"),
    path("bulletins/", commitment_views.bulletin_list, name="bulletin-list"),
    path("bulletins/new/", commitment_views.bulletin_create, name="bulletin-create"),
    path("bulletins/<int:pk>/edit/", commitment_views.bulletin_edit, name="bulletin-edit"),
]
