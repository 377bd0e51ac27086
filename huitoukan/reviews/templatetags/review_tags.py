"""The colours of package and reporting states, and a redline drawn from its segments."""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import format_html, format_html_join

register = template.Library()

COLOURS = {
    "awaiting_head": "yellow", "awaiting_group": "yellow", "ready": "azure", "submitted": "blue",
    "returned": "red", "approved": "green", "withdrawn": "secondary", "not_submitted": "red",
}


@register.filter
def state_colour(state: str) -> str:
    return COLOURS.get(state, "secondary")


@register.filter
def lookup(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.simple_tag
def redline(segments):
    """Deleted text struck through in red, inserted text underlined in green, the rest as it was."""
    tags = {"delete": "del", "insert": "ins"}
    return format_html_join("", "{}", ((
        format_html('<{0} class="rl-{1}">{2}</{0}>', tags[s.op], s.op, s.text) if s.op in tags
        else format_html("{}", s.text),
    ) for s in segments))


@register.simple_tag
def redline_side(segments, side: str):
    """One side of a side-by-side comparison: "old" keeps the equal and deleted text (deletions marked),
    "new" the equal and inserted text (insertions marked)."""
    dropped = "insert" if side == "old" else "delete"
    return redline([s for s in segments if s.op != dropped])


@register.filter
def who(user) -> str:
    """A login as people know it: the person it is (with its unit's name), else the login name."""
    if user is None:
        return ""
    try:
        person = user.person
    except ObjectDoesNotExist:
        return user.get_username()
    return person.name
