"""过关 and 述职评议考核, under /accountability/passing/."""

from django.urls import path

from huitoukan.accountability import passing_views as views

urlpatterns = [
    path("", views.passing_index, name="passing-index"),
    path("as-of/", views.passing_as_of, name="passing-as-of"),
    path("appraisals/", views.appraisal_list, name="appraisal-list"),
    path("appraisals/new/", views.appraisal_create, name="appraisal-create"),
]
