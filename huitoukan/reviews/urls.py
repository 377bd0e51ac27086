from django.urls import path

from huitoukan.reviews import views

urlpatterns = [
    path("", views.review_index, name="review-index"),
    path("deadlines/<int:pk>/", views.deadline_status, name="review-status"),
    path("deadlines/<int:pk>/export/", views.deadline_status_export, name="review-status-export"),
    path("deadlines/<int:pk>/units/<int:unit_pk>/", views.submission_page, name="review-submission"),
    path("deadlines/<int:pk>/units/<int:unit_pk>/build/", views.package_build, name="review-build"),
    path("versions/<int:pk>/", views.version_detail, name="review-version"),
    path("versions/<int:pk>/act/", views.version_act, name="review-act"),
    path("versions/<int:pk>/comments/", views.version_comment, name="review-comment"),
    path("versions/<int:pk>/compare/", views.version_compare, name="review-compare"),
]
