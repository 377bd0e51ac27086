"""`{% basis "key" %}`: the 依据 mark of a rule (huitoukan.core.basis)."""

from django import template
from django.utils.html import format_html

from huitoukan.core.basis import clause

register = template.Library()


@register.simple_tag
def basis(key: str):
    """A 依据 mark: its tooltip names the document and clause; tapped on a phone (a <details>), it opens the words."""
    c = clause(key)
    return format_html(
        '<details class="basis d-inline-block align-middle" title="{}"><summary class="badge bg-azure-lt text-azure"'
        ' aria-label="{}">依据</summary><span class="basis-text small text-secondary d-block">{}</span></details>',
        c.text, c.text, c.text)
