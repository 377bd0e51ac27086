"""The header's bell: the login's unread count, one query when a page draws it, none otherwise."""

from functools import cache

from huitoukan.notifications import selectors


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Called by the template only where the header is drawn (a JSON answer or a bare page draws none).
    return {"bell_unread": cache(lambda: selectors.unread_count(user=user))}
