"""Pickers that search the server instead of listing every choice.

A province has 20,000 units and more people: a `<select>` cannot list them, and cutting the list
at a few thousand silently hides the rest. A remote picker renders only the chosen option(s);
site.js turns it into a tom-select that asks `remote_url` (a scoped API list taking `?q=`) as
the user types. What may be chosen is still decided on the server, by the view's scoped lookup.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.urls import reverse


class _Remote:
    """Options come from `remote_url`; `queryset` names the chosen ones, the only ones rendered."""

    def __init__(self, *, remote_url: str, label_field: str = "full_name", hint_field: str = "", queryset=None,
                 label: Callable = str, attrs=None):
        attrs = {"class": "form-select", **(attrs or {}), "data-remote": remote_url, "data-label-field": label_field}
        if hint_field:
            attrs["data-hint-field"] = hint_field
        super().__init__(attrs=attrs)
        self.queryset = queryset
        self.label = label

    def optgroups(self, name, value, attrs=None):
        ids = [v for v in value if str(v).isdigit()]
        if not ids or self.queryset is None:
            return []
        return [(None, [self.create_option(name, obj.pk, self.label(obj), True, index, attrs=attrs)], index)
                for index, obj in enumerate(self.queryset.filter(pk__in=ids))]


class RemoteSelect(_Remote, forms.Select):
    pass


class RemoteSelectMultiple(_Remote, forms.SelectMultiple):
    pass


def unit_picker(units, *, multiple: bool = False, under=None) -> RemoteSelect:
    """A unit searched by name or path among the active units the reader sees (`under` one unit)."""
    widget = RemoteSelectMultiple if multiple else RemoteSelect
    scope = f"&under={under.pk}" if under is not None else ""
    return widget(remote_url=f"{reverse('api-unit-list')}?include_abolished=false{scope}", queryset=units,
                  label=lambda u: u.full_name)


def person_picker(people, *, multiple: bool = False, label=None, **query) -> RemoteSelect:
    """A person searched by name (their unit beside it: two 张伟 are told apart)."""
    params = "&".join(f"{k}={v}" for k, v in query.items())
    widget = RemoteSelectMultiple if multiple else RemoteSelect
    return widget(remote_url=f"{reverse('api-person-list')}{'?' + params if params else ''}", label_field="name",
                  hint_field="unit_full_name", queryset=people.select_related("unit"),
                  label=label or (lambda p: f"{p.name}（{p.unit.name}）"))
