"""The public's 意见箱 and 举报 form of a unit, and the query page: no login.

A post is counted against its address (throttle.post_allowed) before anything of it is read, captcha included:
over the limit it answers 429 with a page in Chinese. Neither page is cached: the answer page shows the query
code once, and the query page's result belongs to whoever holds the code (sent by POST, never in a URL).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from huitoukan.core import sql
from huitoukan.core.errors import DomainError
from huitoukan.ledgers.models import Item
from huitoukan.publicity import opinion_services, public_selectors
from huitoukan.publicity.contact import Contact
from huitoukan.publicity.opinion_forms import LookupForm, PublicOpinionForm
from huitoukan.publicity.opinion_selectors import sender_view
from huitoukan.publicity.public_selectors import public_item_row
from huitoukan.publicity.throttle import post_allowed


def _throttled(request):
    response = render(request, "publicity/public/opinion_throttled.html", status=429)
    seconds = settings.PUBLIC_POST_WINDOW_SECONDS
    response["Retry-After"] = str(seconds - int(timezone.now().timestamp()) % seconds)  # the window's rest
    return response


def _public_item(request, unit) -> tuple[Item | None, dict | None]:
    """The published item the form was opened from (?item=), only one on the unit's published list: the item,
    and its row as published (redacted), which is all the page may show of it."""
    row = public_item_row(unit, sql.key_or_none(request.GET.get("item")))
    if row is None:
        return None, None
    return Item.objects.filter(pk=row["item"]).first(), row


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_opinion_new(request, unit_pk):
    """我要提意见 / 我要举报 to a unit with a public page."""
    if request.method == "POST" and not post_allowed(request, scope="opinion"):
        return _throttled(request)
    key = sql.key_or_none(unit_pk)
    unit = public_selectors.public_unit(key) if key is not None else None
    if unit is None:
        raise Http404
    item, item_row = _public_item(request, unit)
    form = PublicOpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = opinion_services.opinion_submit(
                unit=unit, kind=data["kind"], subject=data["subject"], content=data["content"],
                anonymous=data["anonymous"], about_item=item,
                contact=Contact(name=data["contact_name"].strip(), means=data["contact_means"].strip()))
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            return render(request, "publicity/public/opinion_done.html", {
                "unit": unit, "opinion": submitted.opinion, "code": submitted.code})
    return render(request, "publicity/public/opinion_form.html", {"unit": unit, "item_row": item_row, "form": form})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def public_opinion_lookup(request):
    """查询办理结果 with the query code alone: a wrong code reads as no result, in the same page."""
    if request.method == "POST" and not post_allowed(request, scope="lookup"):
        return _throttled(request)
    form = LookupForm(request.POST or None)
    result, looked = None, False
    if request.method == "POST" and form.is_valid():
        looked = True
        result = sender_view(form.cleaned_data["code"])
        if result is not None:
            form = LookupForm()  # a page with a result does not carry its code; a wrong code stays to be mended
    return render(request, "publicity/public/opinion_lookup.html", {"form": form, "result": result, "looked": looked})
