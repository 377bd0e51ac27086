"""Import and export of the unit tree (being written in this session)."""

from django.http import Http404


def unit_import(request):
    raise Http404


def unit_export(request):
    raise Http404
