"""{% unit_tree nodes current %}: the tree column of the unit pages (orgs.treemarkup)."""

from html import escape

from django import template
from django.urls import reverse

from huitoukan.core.rowmarkup import ANY_ID
from huitoukan.orgs.treemarkup import node_links, tree_html

register = template.Library()


def unit_tree_html(nodes, current=None):
    """Each node links to its unit's page and loads its children from the unit-tree fragment."""
    link, expand = node_links(escape(reverse("unit-detail", args=[ANY_ID])),
                              escape(f"{reverse('unit-tree')}?node={ANY_ID}"))
    return tree_html(nodes, link=link, expand=expand, current_pk=getattr(current, "pk", None))


register.simple_tag(unit_tree_html, name="unit_tree")
