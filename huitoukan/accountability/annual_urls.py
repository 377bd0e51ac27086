"""Placeholder: filled in this session."""

urlpatterns: list = []
