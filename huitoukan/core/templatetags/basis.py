"""`{% basis "key" %}`: the 依据 mark of a rule (huitoukan.core.basis).

The mark is a <details>: on a desktop its summary's title shows the clause on hover; on a phone a tap opens it and the
clause's words appear in a small box (site.css `.basis`). No script is needed, and a reader without CSS still reads
the words after the mark.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from huitoukan.core.basis import clause

register = template.Library()


@register.simple_tag
def basis(key: str):
    """The 依据 mark of `key`: the document, the clause as the document numbers it, and its words."""
    c = clause(key)
    return format_html(
        '<details class="basis" data-basis="{}"><summary class="basis-mark" title="{}" aria-label="{}">{}</summary>'
        '<span class="basis-text" role="note"><span class="basis-source">{}</span>{}</span></details>',
        key, c.text, f"{_('依据')}：{c.label}", _("依据"), f"{c.document.title} {c.place}", c.words)
