from django.urls import path, re_path

from huitoukan.publicity import public_publication_views as views

urlpatterns = [
    path("", views.public_index, name="public-index"),
    path("u/<int:pk>/", views.public_unit, name="public-unit"),
    path("p/<int:pk>/", views.public_publication, name="public-publication"),
    # The unit's own lists (data) or its whole subtree's (subtree), as CSV or JSON.
    re_path(r"^u/(?P<pk>[0-9]+)/(?P<scope>data|subtree)\.(?P<fmt>csv|json)$", views.public_data, name="public-data"),
]
