"""责任追究, 过关, 年度考核 and 纪实评价 (login required), under /accountability/."""

from django.urls import include, path

urlpatterns = [
    path("cases/", include("huitoukan.accountability.case_urls")),
    path("passing/", include("huitoukan.accountability.passing_urls")),
    path("annual/", include("huitoukan.accountability.annual_urls")),
]
