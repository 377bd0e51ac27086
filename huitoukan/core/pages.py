"""The flow every page with a form that writes shares."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from huitoukan.core.errors import DomainError


def form_write(request, form, write: Callable[[dict], HttpResponse]) -> HttpResponse | None:
    """On a valid POST, `write(form.cleaned_data)` calls the service and answers (usually with
    `saved`); a refusal of the domain becomes the form's own error, shown at its top. None when
    nothing was written: the caller shows the form (again), with its errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except DomainError as e:
        form.add_error(None, e.message)
        return None


def saved(request, message: str, to, *args) -> HttpResponse:
    """What a page answers once it has written: the message above the next page, and that page."""
    messages.success(request, message)
    return redirect(to, *args)


def form_page(request, form, write: Callable[[dict], HttpResponse], template: str, context: dict) -> HttpResponse:
    """A page with a form that writes: `form_write`, or else the page with the form (again)."""
    return form_write(request, form, write) or render(request, template, {"form": form, **context})
