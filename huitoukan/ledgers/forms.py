"""Forms of the ledger screens. Labels come from the ledger's layout, so a form speaks the attachment's words."""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huitoukan.core.pickers import person_picker, unit_picker
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind
from huitoukan.ledgers.models import DeadlineMode, Item, ItemStatus, Subject
from huitoukan.ledgers.selectors import ItemFilters, item_leads
from huitoukan.orgs.models import Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}


def _select(name: str, label=None, blank="—"):
    """An optional choice of the item's field `name`: its choices, and by default its label, are the model's."""
    field = Item._meta.get_field(name)
    return forms.ChoiceField(label=label or field.verbose_name, required=False, choices=[("", blank), *field.choices],
                             widget=forms.Select(attrs=SELECT))


def _textarea(rows=3):
    return forms.Textarea(attrs={"class": "form-control", "rows": rows})


def heading(ledger_kind: str, key: str, default: str) -> str:
    """The attachment's heading of column `key` in this kind of ledger, or `default` when it has none."""
    return next((c.heading for c in LAYOUTS[ledger_kind].columns if c.key == key), default)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one field; the service checks each file's type and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ItemFilterForm(forms.Form):
    """The search form above a ledger's table; it becomes selectors.ItemFilters."""

    q = forms.CharField(label=_("关键词"), required=False,
                        widget=forms.TextInput(attrs={**TEXT, "placeholder": _("问题或措施中的文字")}))
    status = _select("status", blank=_("全部状态"))
    four_winds = _select("four_winds", blank=_("全部"))
    lead_leader = forms.TypedChoiceField(label=_("牵头领导"), required=False, coerce=int, empty_value=None,
                                         widget=forms.Select(attrs=SELECT))
    responsible_unit = forms.TypedChoiceField(label=_("责任单位"), required=False, coerce=int, empty_value=None,
                                              widget=forms.Select(attrs=SELECT))
    overdue = forms.BooleanField(label=_("只看逾期"), required=False,
                                 widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    order = forms.ChoiceField(
        label=_("排序"), required=False,
        choices=[("seq", _("按序号")), ("due_on", _("按时限（先到期在前）")), ("-due_on", _("按时限（后到期在前）")),
                 ("status", _("按状态"))],
        widget=forms.Select(attrs=SELECT),
    )
    page_size = forms.TypedChoiceField(
        label=_("每页"), required=False, coerce=int, empty_value=50, initial=50,
        choices=[(20, "20"), (50, "50"), (100, "100"), (500, "500")], widget=forms.Select(attrs=SELECT),
    )

    # Filters that mean nothing for a kind of ledger: 附件2 is one person's, with no 牵头领导 or
    # 责任单位 columns; 专项整治 and 制度建设 items are not classed by the 四风.
    NOT_FOR = {
        LedgerKind.PERSONAL: ("lead_leader", "responsible_unit"),
        LedgerKind.SPECIAL: ("four_winds",),
        LedgerKind.INSTITUTION: ("four_winds",),
    }

    def __init__(self, *args, leaders=(), units=(), kind: str | None = None, **kwargs):
        # Its own ids: the item form opened on the same page has fields of the same names.
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["lead_leader"].choices = [("", _("全部"))] + [(p.pk, p.name) for p in leaders]
        self.fields["responsible_unit"].choices = [("", _("全部"))] + [(u.pk, u.name) for u in units]
        for name in self.NOT_FOR.get(kind, ()):
            del self.fields[name]

    def filters(self) -> ItemFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ItemFilters(
            status=data.get("status") or "",
            four_winds=data.get("four_winds") or "",
            overdue=bool(data.get("overdue")),
            lead_leader=data.get("lead_leader"),
            responsible_unit=data.get("responsible_unit"),
            text=(data.get("q") or "").strip(),
            order=data.get("order") or "seq",
        )

    def per_page(self) -> int:
        return (self.cleaned_data.get("page_size") if self.is_valid() else None) or 50


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return f"{person.name}（{person.position}）" if person.position else person.name


class UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return unit.full_name


class TaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, task):
        return f"【{task.get_tier_display()}】{task.order}. {task.name}"


class ItemForm(forms.Form):
    """One row of a ledger: the fields its attachment lists, and the classification of [002 三.1, 004 一]."""

    special_task = TaskChoice(label=_("专项整治任务"), queryset=None, required=False,
                              widget=forms.Select(attrs={**SELECT, "data-searchable": "1"}),
                              help_text=_("从中央、省委、市委和本单位的专项整治任务中选择；“项目”留空时取任务名称。"))
    category = forms.CharField(label=_("类别"), max_length=50, required=False,
                               widget=forms.TextInput(attrs={**TEXT, "placeholder": _("如：作风建设、干部管理")}))
    institution_action = _select("institution_action", _("废/改/立"))
    problem = forms.CharField(label=_("突出问题"), widget=_textarea(3))
    measures = forms.CharField(label=_("具体整改措施"), required=False, widget=_textarea(3))
    four_winds = _select("four_winds")
    subject = _select("subject")
    problem_level = _select("problem_level")
    handling = _select("handling")
    source = _select("source")
    deadline_mode = forms.ChoiceField(label=_("时限类型"), choices=DeadlineMode.choices, initial=DeadlineMode.DATE,
                                      widget=forms.Select(attrs=SELECT))
    due_on = forms.DateField(label=_("整改时限"), required=False, widget=DATE_WIDGET,
                             help_text=_("时限类型为“限期”时填写"))
    review_on = forms.DateField(label=_("复查日期"), required=False, widget=DATE_WIDGET,
                                help_text=_("长期坚持的事项定期复查"))
    lead_leaders = PersonChoices(label=_("牵头领导"), queryset=None, required=False)
    responsible_units = UnitChoices(label=_("责任单位"), queryset=None, required=False)

    def __init__(self, *args, ledger, people, units, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        kind = ledger.kind
        self.ledger = ledger
        self.fields["problem"].label = heading(kind, "problem", _("突出问题"))
        self.fields["measures"].label = heading(kind, "measures", _("具体整改措施"))
        self.fields["due_on"].label = heading(kind, "deadline", _("整改时限"))
        self.fields["lead_leaders"].queryset = people
        self.fields["responsible_units"].queryset = units
        # Searched as one types, within the ledger's unit: a city's ledger may name any of thousands.
        self.fields["lead_leaders"].widget = person_picker(
            people, multiple=True, label=self.fields["lead_leaders"].label_from_instance,
            unit=ledger.unit_id, party_leader="true")
        self.fields["responsible_units"].widget = unit_picker(units, multiple=True, under=ledger.unit)
        self.fields["special_task"].queryset = tasks
        if kind == LedgerKind.SPECIAL:
            self.fields["problem"].required = False
        else:
            del self.fields["special_task"]
        if kind != LedgerKind.INSTITUTION:
            del self.fields["category"], self.fields["institution_action"]
        if kind == LedgerKind.PERSONAL:
            # 附件2 is one person's own ledger: the person leads every item, no units are listed.
            del self.fields["lead_leaders"], self.fields["responsible_units"], self.fields["subject"]
        else:
            self.fields["subject"].initial = Subject.TEAM

    def classification_fields(self):
        return [self[f] for f in ("four_winds", "subject", "problem_level", "handling", "source") if f in self.fields]

    def deadline_fields(self):
        return [self[f] for f in ("deadline_mode", "due_on", "review_on")]

    def service_kwargs(self) -> dict:
        """cleaned_data shaped for services.item_create / item_update."""
        data = dict(self.cleaned_data)
        data["problem"] = data.get("problem") or ""
        if "lead_leaders" in data:
            data["lead_leaders"] = list(data["lead_leaders"])
        if "responsible_units" in data:
            data["responsible_units"] = list(data["responsible_units"])
        return data


class ProgressForm(forms.Form):
    """A dated report of a lead leader; the office picks the leader it writes for (代填)."""

    leader = forms.ModelChoiceField(label=_("填报领导"), queryset=None, required=True, empty_label=_("请选择牵头领导"),
                                    widget=forms.Select(attrs=SELECT),
                                    help_text=_("活动办代填时选择承担该项工作的牵头领导，记录标明“代填”。"))
    progress = forms.CharField(label=_("整改落实情况"), widget=_textarea(4))
    strict_execution = forms.CharField(label=_("严格制度执行情况"), required=False, widget=_textarea(3))
    next_steps = forms.CharField(label=_("后段工作措施"), required=False, widget=_textarea(3))
    status_after = forms.ChoiceField(
        label=_("填报后状态"),
        choices=[(ItemStatus.IN_PROGRESS, ItemStatus.IN_PROGRESS.label),
                 (ItemStatus.BASICALLY_DONE, ItemStatus.BASICALLY_DONE.label)],
        widget=forms.Select(attrs=SELECT),
    )
    reported_on = forms.DateField(label=_("填报日期"), widget=DATE_WIDGET)
    files = MultipleFileField(label=_("佐证材料"), help_text=_("可多选；接受图片、PDF、Word、Excel、WPS 文件。"))

    def __init__(self, *args, item, on_behalf: bool, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("reported_on", timezone.localdate())
        # A report keeps the item where it is unless the leader says otherwise.
        kwargs["initial"].setdefault(
            "status_after", item.status if item.status == ItemStatus.BASICALLY_DONE else ItemStatus.IN_PROGRESS)
        super().__init__(*args, **kwargs)
        kind = item.ledger.kind
        self.fields["progress"].label = heading(kind, "progress", _("整改落实情况"))
        if kind != LedgerKind.INSTITUTION:
            del self.fields["strict_execution"]
        if on_behalf:
            # The item's lead leaders and those of the unit leading it (上下联动): selectors.item_leads.
            leads = item_leads([item.pk]).get(item.pk)
            self.fields["leader"].queryset = Person.objects.filter(pk__in=leads.leader_ids if leads else ())
        else:
            del self.fields["leader"]


class ClosingRequestForm(forms.Form):
    summary = forms.CharField(label=_("完成情况说明"), widget=_textarea(3))
    files = MultipleFileField(label=_("佐证材料"), help_text=_("销号须有佐证材料；已上传过的可不再上传。"))


class ClosingDecisionForm(forms.Form):
    VERIFY, RETURN = "verify", "return"

    decision = forms.ChoiceField(choices=[(VERIFY, _("核验销号")), (RETURN, _("退回"))], widget=forms.HiddenInput)
    note = forms.CharField(label=_("核验意见"), required=False, widget=_textarea(2),
                           help_text=_("退回时必须说明理由。"))


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("回炉理由"), widget=_textarea(2))
    due_on = forms.DateField(label=_("新的整改时限"), required=False, widget=DATE_WIDGET,
                             help_text=_("不填则保持原时限"))


class RelapseForm(forms.Form):
    reason = forms.CharField(label=_("反弹情况"), widget=_textarea(2))


class LedgerOpenForm(forms.Form):
    campaign = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=LedgerKind.choices, widget=forms.HiddenInput)
    person = forms.IntegerField(label=_("党员领导干部"), required=False, widget=forms.Select(attrs=SELECT))


class SubtreeItemFilterForm(ItemFilterForm):
    """事项查询: the ledger page's filters across every ledger of a subtree, and the kind of ledger;
    its leaders and units would be the whole tree's, so those two are left out."""

    kind = forms.ChoiceField(label=_("台账"), required=False, choices=[("", _("全部台账")), *LedgerKind.choices],
                             widget=forms.Select(attrs=SELECT))
    field_order = ["q", "kind", "status", "four_winds", "overdue", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_leader", "responsible_unit", "page_size"):
            del self.fields[name]

    def filters(self) -> ItemFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return replace(super().filters(), kind=data.get("kind") or "")
