"""Official documents (通报, 简报, 情况报告) drafted from live figures, under /documents/."""

from django.urls import path

from huitoukan.documents import views

urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("new/", views.document_create, name="document-create"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("<int:pk>/issue/", views.document_issue, name="document-issue"),
    path("<int:pk>/docx/", views.document_docx, name="document-docx"),
    path("<int:pk>/pdf/", views.document_pdf, name="document-pdf"),
    path("prefixes/<int:pk>/", views.document_prefixes, name="document-prefixes"),
]
