"""Pickers that search the server instead of listing every choice.

A province has 20,000 units and more people: a `<select>` cannot list them, and cutting the list
at a few thousand silently hides the rest. A remote picker renders only the chosen option(s);
site.js turns it into a tom-select that asks `remote_url` (a scoped API list taking `?q=`) as
the user types. What may be chosen is still decided on the server, by the view's scoped lookup.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms


class RemoteSelect(forms.Select):
    """A select whose options come from `remote_url`; `queryset` names the chosen ones."""

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
