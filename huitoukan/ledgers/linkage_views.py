"""Pages of 上下联动 (ledgers.linkage): the item page's panel and its actions, and /ledgers/linkage/ (待本单位认领,
本单位提请, 本单位牵头, and the report per level). Thin: parse, fetch through a selector, authorize, call one
service, go back to the item."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core.pages import form_write
from huitoukan.ledgers import linkage, selectors
from huitoukan.ledgers.linkage import LinkAction, LinkSubject
from huitoukan.ledgers.views import _item_page  # the item page, as its own actions show it again
from huitoukan.orgs.models import Person, Unit

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
SELECT = {"class": "form-select"}


def _text(label, rows=3, required=True):
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}))


class HandUpForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=gettext_lazy("提请牵头单位"), queryset=Unit.objects.none(),
                                     empty_label=gettext_lazy("请选择上级单位或行业主管部门"),
                                     widget=forms.Select(attrs=SELECT))
    reason = _text(gettext_lazy("上报理由"))

    def __init__(self, *args, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in receivers])
        self.fields["to_unit"].choices = [("", self.fields["to_unit"].empty_label)] + [
            (u.pk, f"{u.full_name}" + (f"（{u.sector}）" if u.sector else "")) for u in receivers]


class LeaderChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return f"{person.name}（{person.position}）" if person.position else person.name


class ClaimForm(forms.Form):
    measures = _text(gettext_lazy("牵头整改措施"))
    due_on = forms.DateField(label=gettext_lazy("牵头时限"), widget=DATE_WIDGET)
    lead_leaders = LeaderChoices(label=gettext_lazy("牵头单位领导"), queryset=Person.objects.none(),
                                 widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                                 help_text=gettext_lazy("勾选牵头单位的领导，可多选；名单中没有的，请先在组织机构中添加该单位人员。"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        # The people of the leading unit(s) only: one unit's leaders, never the whole tree.
        self.fields["lead_leaders"].queryset = Person.objects.filter(
            unit__in=units, is_active=True).select_related("unit").order_by("unit__path", "-is_unit_head", "id")


class ClaimFromBelowForm(ClaimForm):
    unit = forms.ModelChoiceField(label=gettext_lazy("牵头单位"), queryset=Unit.objects.none(),
                                  widget=forms.Select(attrs=SELECT))
    field_order = ["unit", "measures", "due_on", "lead_leaders"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, units=units, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        self.fields["unit"].empty_label = None


class DeclineForm(forms.Form):
    reason = _text(gettext_lazy("不予认领理由"))


# The panel's forms: the context key each is shown under, and the action it takes.
FORM_OF_ACTION = {LinkAction.HAND_UP: "hand_up_form", LinkAction.CLAIM: "claim_form",
                  LinkAction.DECLINE: "decline_form", LinkAction.CLAIM_FROM_BELOW: "from_below_form",
                  LinkAction.WITHDRAW: "withdraw_form"}
# What the top of the item page says when a form comes back: on a phone the panel stands far below.
REFUSED_TITLES = {LinkAction.HAND_UP: gettext_lazy("未能提请上级牵头"), LinkAction.CLAIM: gettext_lazy("未能认领"),
                  LinkAction.DECLINE: gettext_lazy("未能提交不予认领"), LinkAction.WITHDRAW: gettext_lazy("未能撤回提请"),
                  LinkAction.CLAIM_FROM_BELOW: gettext_lazy("未能主动认领")}


def item_panel(item, user) -> dict | None:
    """The item page's 上下联动 panel: the item's links, and the forms of what the reader may do now. A form sent
    back with errors (`_again`) stands in place of its empty one, open, with its input."""
    subject = LinkSubject.of(item)
    links = linkage.links_of_item(item)
    allowed = linkage.actions_for(user, subject)
    if not links and not allowed:
        return None
    for link in links:
        link.kind_label = linkage.kind_label(link)
    context = {"links": links, "open": subject.open_link, "actions": allowed}
    if LinkAction.HAND_UP in allowed:
        context["hand_up_form"] = HandUpForm(receivers=linkage.receivers_for(item.ledger.unit))
    if LinkAction.CLAIM in allowed:
        context["claim_form"] = ClaimForm(units=[subject.open_link.to_unit])
    if LinkAction.DECLINE in allowed:
        context["decline_form"] = DeclineForm()
    if LinkAction.WITHDRAW in allowed:
        context["withdraw_form"] = forms.Form()
    if LinkAction.CLAIM_FROM_BELOW in allowed:
        context["from_below_form"] = ClaimFromBelowForm(units=linkage.claim_units_for(user, item.ledger.unit))
    bound = getattr(item, "linkage_bound", None)
    if bound is not None and bound[0] in context:
        context[bound[0]], context["open_form"] = bound[1], bound[0]
    return context


def _back(item_id: int):
    return redirect(f"{reverse('item-detail', args=[item_id])}#linkage")


def _again(request, item, action: LinkAction, form):
    """The item page again with the refused form in its panel: the clerk's input kept, each field's error under
    it and a refusal of the service above the form, the first wrong field focused (so the phone scrolls to it).
    Where the action is no longer offered (the link was claimed meanwhile, say), the reason as a message."""
    if action not in linkage.actions_for(request.user, LinkSubject.of(item)):
        messages.error(request, _("未能完成：%(errors)s") % {"errors": "；".join(
            e for errs in form.errors.values() for e in errs)})
        return _back(item.pk)
    wrong = [name for name in form.fields if name in form.errors]
    for name in wrong:
        widget = form.fields[name].widget
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    if wrong:
        form.fields[wrong[0]].widget.attrs["autofocus"] = True
    item.linkage_bound = (FORM_OF_ACTION[action], form)
    messages.error(request, _("%(title)s：请在下方“上下联动”中按标红的提示修改后重新提交。") % {
        "title": REFUSED_TITLES[action]})
    return _item_page(request, item)


def _run(request, item, action: LinkAction, form, call, done: str):
    """Valid input: call the service, say what it did, back to the item's panel; invalid input or a refusal of the
    service: the item page again with the form, its input and its errors (`_again`)."""
    def write(data):
        call(data)
        messages.success(request, done)
        return _back(item.pk)
    return form_write(request, form, write) or _again(request, item, action, form)


@require_POST
def link_hand_up(request, pk):
    user = request.user
    item = selectors.item_get_for(user=user, pk=pk)
    linkage.authorize(user, LinkAction.HAND_UP, LinkSubject.of(item))
    form = HandUpForm(request.POST, receivers=linkage.receivers_for(item.ledger.unit))
    return _run(request, item, LinkAction.HAND_UP, form, lambda d: linkage.link_hand_up(
        actor=user, item=item, to_unit=d["to_unit"], reason=d["reason"]), _("已提请上级牵头，待认领。"))


@require_POST
def link_claim_from_below(request, pk):
    user = request.user
    item = selectors.item_get_for(user=user, pk=pk)
    linkage.authorize(user, LinkAction.CLAIM_FROM_BELOW, LinkSubject.of(item))
    form = ClaimFromBelowForm(request.POST, units=linkage.claim_units_for(user, item.ledger.unit))
    return _run(request, item, LinkAction.CLAIM_FROM_BELOW, form, lambda d: linkage.link_claim_from_below(
        actor=user, item=item, unit=d["unit"], measures=d["measures"], due_on=d["due_on"],
        lead_leaders=d["lead_leaders"]), _("已主动认领，由本单位牵头整改。"))


def _link_for(request, pk, action: LinkAction):
    link = linkage.link_get_for(user=request.user, pk=pk)
    linkage.authorize(request.user, action, LinkSubject(link.item, link, link))
    return link


@require_POST
def link_withdraw(request, pk):
    link = _link_for(request, pk, LinkAction.WITHDRAW)
    return _run(request, link.item, LinkAction.WITHDRAW, forms.Form(request.POST),
                lambda d: linkage.link_withdraw(actor=request.user, link=link), _("已撤回提请。"))


@require_POST
def link_claim(request, pk):
    link = _link_for(request, pk, LinkAction.CLAIM)
    form = ClaimForm(request.POST, units=[link.to_unit])
    return _run(request, link.item, LinkAction.CLAIM, form, lambda d: linkage.link_claim(
        actor=request.user, link=link, measures=d["measures"], due_on=d["due_on"], lead_leaders=d["lead_leaders"]),
        _("已认领，由本单位牵头整改。"))


@require_POST
def link_decline(request, pk):
    link = _link_for(request, pk, LinkAction.DECLINE)
    return _run(request, link.item, LinkAction.DECLINE, DeclineForm(request.POST),
                lambda d: linkage.link_decline(actor=request.user, link=link, reason=d["reason"]),
                _("已不予认领，理由已告知提请单位。"))


@require_GET
def linkage_index(request):
    """上下联动: 待本单位认领, 本单位提请, 本单位牵头, and the report per level of the reader's scope."""
    user = request.user
    policy.require_somewhere(user, Perm.WORK_VIEW)
    editor = policy.has_perm_somewhere(user, Perm.LEDGER_EDIT)
    context = {
        "incoming": list(linkage.incoming_for(user=user)[:200]) if editor else [],
        "outgoing": list(linkage.outgoing_for(user=user)[:200]) if editor else [],
        "leading": list(linkage.leading_for(user=user)[:200]) if editor else [],
        "mine": list(linkage.led_by_me(user=user)[:200]),
        "report": linkage.linkage_report(user=user),
        "editor": editor,
        "active_menu": "linkage",
    }
    for link in (*context["incoming"], *context["outgoing"], *context["leading"], *context["mine"]):
        link.kind_label = linkage.kind_label(link)
    return render(request, "ledgers/linkage_index.html", context)
