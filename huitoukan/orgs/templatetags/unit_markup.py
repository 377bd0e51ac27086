"""{% unit_tags u %}, {% unit_rows units empty %}, {% person_rows people empty %}: orgs.unitmarkup."""

from django import template

from huitoukan.orgs.unitmarkup import person_rows_html, unit_rows_html, unit_tags_html

register = template.Library()

register.simple_tag(unit_tags_html, name="unit_tags")


@register.simple_tag
def unit_rows(units, empty):
    return unit_rows_html(units, empty=empty)


@register.simple_tag
def person_rows(people, empty):
    return person_rows_html(people, empty=empty)
