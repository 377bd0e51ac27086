"""The public forms' rate limit: posts per client address per window, counted in the database so that every
server process shares the count (a flood spread over the workers is still one flood).

The address is kept only as a keyed digest. The count is taken before the form is read, captcha included:
a flood costs one small write per post and never reaches the captcha's store or the business tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from huitoukan.audit.services import client_ip
from huitoukan.publicity.models import PublicThrottle


def address_digest(request) -> str:
    """A keyed digest of the client's address: the same address gives the same digest, and the digest
    alone does not give the address back."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"public-address:" + client_ip(request).encode(), hashlib.sha256).hexdigest()


def _window_start(now: dt.datetime, seconds: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def post_allowed(request, *, scope: str = "post") -> bool:
    """Count one post from the request's address; False once the address is over the limit of its window."""
    seconds = settings.PUBLIC_POST_WINDOW_SECONDS
    limit = settings.PUBLIC_POSTS_PER_WINDOW
    key = f"{scope}:{address_digest(request)}"[:100]
    start = _window_start(timezone.now(), seconds)
    with transaction.atomic():
        updated = PublicThrottle.objects.filter(key=key, window_start=start).update(n=F("n") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    PublicThrottle.objects.create(key=key, window_start=start, n=1)
            except IntegrityError:  # another process created the row between the two statements
                PublicThrottle.objects.filter(key=key, window_start=start).update(n=F("n") + 1)
        n = PublicThrottle.objects.filter(key=key, window_start=start).values_list("n", flat=True).first() or 0
    return n <= limit


def throttle_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Drop the counts of windows long past (the nightly task)."""
    deleted, _ = PublicThrottle.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted
