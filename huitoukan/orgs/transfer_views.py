"""Import and export pages of the unit tree. Thin: parse the request, call the service, render.

The import is two requests (core.import_pages): the upload is checked (a dry run) and shown
as a preview, and 确认导入 writes it. Between the two the file waits under VAR_DIR, named by a
random token that only the uploader's session holds.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core.http import content_disposition
from huitoukan.core.import_pages import ImportPage
from huitoukan.orgs import selectors
from huitoukan.orgs.unit_export import CONTENT_TYPES, FORMATS, unit_export_filename
from huitoukan.orgs.unit_export import unit_export as unit_export_service
from huitoukan.orgs.unit_import import unit_import as unit_import_service

PAGE = ImportPage("unit-import", template="orgs/unit_import.html", active_menu="units",
                  max_bytes=lambda: settings.UNIT_IMPORT_MAX_BYTES)


def _commit(request, data: bytes, filename: str, choice: dict):
    return unit_import_service(actor=request.user, data=data, filename=filename, dry_run=False, request=request)


def _imported(request, result, filename: str):
    messages.success(
        request,
        _("已导入“%(file)s”：新增 %(created)d 个单位，修改 %(updated)d 个，%(unchanged)d 个不变。")
        % {"file": filename, "created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("unit-list")


@require_http_methods(["GET", "POST"])
def unit_import(request):
    policy.require_somewhere(request.user, Perm.UNIT_MANAGE)
    if request.method == "GET":
        return PAGE.render(request)
    if "token" in request.POST:
        return PAGE.confirm(request, _commit, _imported)

    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的文件。"))
        return redirect("unit-import")
    data = PAGE.read(upload)
    result = unit_import_service(actor=request.user, data=data, filename=upload.name, dry_run=True)
    return PAGE.render(request, result, PAGE.keep(request, result, data=data, filename=upload.name))


@require_GET
def unit_export(request):
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("导出格式只能是 xlsx 或 csv。"))
    root = None
    if request.GET.get("under"):
        root = selectors.unit_get_for(user=request.user, pk=request.GET["under"])
    else:
        policy.require_somewhere(request.user, Perm.UNIT_VIEW)
    data = unit_export_service(user_or_none=request.user, root=root, fmt=fmt, request=request)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = unit_export_filename(user_or_none=request.user, root=root, fmt=fmt)
    response["Content-Disposition"] = content_disposition(filename, ascii_stem="units")
    return response
