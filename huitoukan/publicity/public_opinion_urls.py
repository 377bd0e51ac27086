"""The public's 意见箱 and the query page, under /gongkai/ (no login: the views are login_not_required)."""

from django.urls import path

from huitoukan.publicity import public_opinion_views as views

urlpatterns = [
    path("u/<int:unit_pk>/yijian/", views.public_opinion_new, name="public-opinion-new"),
    path("chaxun/", views.public_opinion_lookup, name="public-opinion-lookup"),
]
