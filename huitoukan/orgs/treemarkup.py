"""The tree column's nested lists, made in Python (core.rowmarkup): through the template engine a
recursive include per node cost a province's unit page more than everything else on it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from huitoukan.core.rowmarkup import ANY_ID, stamp


def node_links(link_url: str, expand_url: str) -> tuple[Callable[..., str], Callable[..., str]]:
    """A node's link and the URL that loads its children, from URLs made once with core.rowmarkup.ANY_ID
    where the node's id goes."""
    return stamp(link_url, {"pk": ANY_ID}), stamp(expand_url, {"pk": ANY_ID})


def tree_html(nodes, *, link: Callable[..., str], expand: Callable[..., str], current_pk: int | None = None,
              light: Callable[[object], str] | None = None) -> SafeString:
    """`<ul>` of the nodes: an opened node (with `tree_children`) nests its children, a closed one with
    children loads them on a click (htmx); `light(node)` may put a mark before a node's name."""
    parts = ["<ul>\n"]
    for node in nodes:
        opened = getattr(node, "tree_children", None)
        if not node.numchild:
            toggle = '<span class="toggle"></span>'
        elif opened:
            toggle = '<span class="toggle">▾</span>'
        else:
            toggle = (f'<span class="toggle" hx-get="{expand(pk=node.pk)}" hx-target="next ul" hx-swap="outerHTML" '
                      'hx-trigger="click once">▸</span>')
        classes = " ".join(name for name, on in (("current", node.pk == current_pk),
                                                 ("unit-abolished", node.abolished_on)) if on)
        mark = light(node) if light is not None else ""
        below = (tree_html(opened, link=link, expand=expand, current_pk=current_pk, light=light) if opened
                 else "<ul></ul>" if node.numchild else "")
        parts.append(f'  <li>\n    {toggle}\n    <a href="{link(pk=node.pk)}" class="{classes}">{mark}'
                     f"{escape(node.name)}</a>\n    {below}\n  </li>\n")
    parts.append("</ul>")
    return mark_safe("".join(parts))
