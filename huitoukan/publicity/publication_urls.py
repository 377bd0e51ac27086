from django.urls import path

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
]
