"""{% ledger_tree nodes current campaign_id %}: the tree column of the ledger pages (orgs.treemarkup),
each node with the light of its subtree."""

from html import escape

from django import template
from django.urls import reverse

from huitoukan.core.rowmarkup import ANY_ID
from huitoukan.orgs.treemarkup import node_links, tree_html

register = template.Library()


def _light(node) -> str:
    light = getattr(node, "light", None)
    return (f'<span class="light light-{escape(light)}" title="{escape(str(node.light_label))}"></span> '
            if light else "")


def ledger_tree_html(nodes, current=None, campaign_id=""):
    """Each node links to its unit's ledgers in the campaign and loads its children from the ledger-tree
    fragment."""
    campaign = escape(str(campaign_id or ""))
    link, expand = node_links(f"{escape(reverse('ledger-list'))}?campaign={campaign}&amp;unit={ANY_ID}",
                              f"{escape(reverse('ledger-tree'))}?node={ANY_ID}&amp;campaign={campaign}")
    return tree_html(nodes, link=link, expand=expand, current_pk=getattr(current, "pk", None), light=_light)


register.simple_tag(ledger_tree_html, name="ledger_tree")
