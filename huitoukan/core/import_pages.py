"""An import page: upload → preview (a dry run of the import), then 确认导入 (the same import, committed).

Both import pages take these two requests: the unit tree's (orgs.transfer_views) and a ledger's
(ledgers.import_views). Between them the upload waits in its PendingUploads slot, and the
session keeps what the page chose for it (a ledger's campaign, unit, kind and person) under the
upload's token, so the confirmation cannot be pointed at anything but what was previewed. The
import itself, its checks and its all-or-nothing write, is the service's (core.importing).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from huitoukan.core.uploads import PendingUploads

PREVIEW_MAX_ROWS = 1000


class ImportPage:
    """One import page. `slot` names its pending uploads and is its URL name, where an expired 确认导入 starts again."""

    def __init__(self, slot: str, *, template: str, active_menu: str, max_bytes: Callable[[], int]):
        self.slot = slot
        self.pending = PendingUploads(slot)
        self.choice_key = slot.replace("-", "_") + "_choice"
        self.template = template
        self.active_menu = active_menu
        self.max_bytes = max_bytes

    def render(self, request, result=None, token: str | None = None, **context):
        """The page: its upload form, and the preview of `result` (or its errors) with 确认导入 when `token` is set."""
        rows = result.rows if result is not None else []
        return render(request, self.template, {
            "result": result,
            "token": token,
            "preview_rows": rows[:PREVIEW_MAX_ROWS],
            "preview_truncated": len(rows) > PREVIEW_MAX_ROWS,
            "max_mb": self.max_bytes() / (1024 * 1024),
            "active_menu": self.active_menu,
            **context,
        })

    def read(self, upload) -> bytes:
        # One byte over the limit is enough for the service to refuse the file.
        return upload.read(self.max_bytes() + 1)

    def keep(self, request, result, *, data: bytes, filename: str, **choice) -> str | None:
        """After the preview: the upload, if worth confirming (no error, something to change), waits with
        what was chosen for it. Returns the token the 确认导入 form posts, or None."""
        if not (result.ok and result.changed_rows):
            return None
        token = self.pending.keep(request, data=data, filename=filename)
        request.session[self.choice_key] = {"token": token, **choice}
        return token

    def confirm(self, request, commit: Callable, done: Callable, **context):
        """确认导入: the upload this session previewed, imported for real with what was chosen for it.

        `commit(request, data, filename, choice)` runs the import and returns its result; once it is
        written, `done(request, result, filename)` answers. A failed import shows its errors on the
        page; an expired or foreign token starts the page again.
        """
        token = request.POST["token"]
        pending = self.pending.load(request, token)
        choice = request.session.get(self.choice_key) or {}
        if pending is None or choice.get("token") != token:
            messages.error(request, _("待导入的文件已失效，请重新上传。"))
            return redirect(self.slot)
        data, filename = pending
        result = commit(request, data, filename, choice)
        self.pending.forget(request)
        request.session.pop(self.choice_key, None)
        if not result.ok:
            return self.render(request, result, **context)
        return done(request, result, filename)
