from django.urls import path

from huitoukan.notices import views

urlpatterns = [
    path("", views.notice_list, name="notice-list"),
    path("new/", views.notice_create, name="notice-create"),
    path("<int:pk>/", views.notice_detail, name="notice-detail"),
    path("<int:pk>/answer/", views.notice_answer, name="notice-answer"),
    path("<int:pk>/return/", views.notice_return, name="notice-return"),
    path("<int:pk>/close/", views.notice_close, name="notice-close"),
    path("<int:pk>/docx/", views.notice_docx_download, name="notice-docx"),
    path("evidence/<int:pk>/", views.evidence_download, name="notice-evidence-download"),
    path("offices/<int:pk>/", views.office_settings, name="notice-office"),
]
