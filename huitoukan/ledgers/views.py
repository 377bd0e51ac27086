"""Pages of the four ledgers, their items, progress, closing (销号), 回炉 and 反弹. Thin: parse, call, render.

Every object is fetched through a selector that checks the reader's scope, so anything out of
scope answers 404 like an absent object. Writes go through one service each; their Chinese
messages are shown in the form that caused them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core.errors import DomainError
from huitoukan.core.lights import LIGHT_LABELS, Light
from huitoukan.core.pages import form_write
from huitoukan.core.paths import path_range_q
from huitoukan.core.rowmarkup import ANY_ID, stamp
from huitoukan.core.timeline import actor_label
from huitoukan.ledgers import linkage, rules, selectors, services, workflow
from huitoukan.ledgers.evidence import evidence_path
from huitoukan.ledgers.forms import (
    ClosingDecisionForm,
    ClosingRequestForm,
    ItemFilterForm,
    ItemForm,
    LedgerOpenForm,
    ProgressForm,
    RelapseForm,
    SendBackForm,
    SubtreeItemFilterForm,
)
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind
from huitoukan.ledgers.models import (
    ClosingRequest,
    DeadlineMode,
    Evidence,
    FourWinds,
    InstitutionAction,
    Item,
    ItemEventKind,
    ItemStatus,
    Ledger,
)
from huitoukan.ledgers.panels import ITEM_PAGE
from huitoukan.ledgers.templatetags.ledger_tree import ledger_tree_html
from huitoukan.ledgers.workflow import Action
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit

# Status tags: Tabler colours of each state (grey for not started, green once closed).
STATUS_COLOURS = {
    ItemStatus.NOT_STARTED: "secondary",
    ItemStatus.IN_PROGRESS: "blue",
    ItemStatus.BASICALLY_DONE: "cyan",
    ItemStatus.CLOSED: "green",
    ItemStatus.SENT_BACK: "orange",
    ItemStatus.RELAPSED: "red",
}
# Events the timeline shows as one line; progress and closing requests are shown in full instead.
EVENT_LINES = frozenset(set(ItemEventKind.values) - {ItemEventKind.PROGRESS, ItemEventKind.CLOSE_REQUESTED})


def _optional_url(name: str, *args, **query) -> str | None:
    """A link to a page another part of the system may not serve yet: None rather than a broken page."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


# --- the ledger list: a campaign, a unit of the tree, its ledgers -----------------------------------------


def _ledger_counts(ledgers: list[Ledger], today) -> None:
    """Attach to each ledger its items by status and its overdue count: two grouped queries for all."""
    ids = [lg.pk for lg in ledgers]
    by_status: dict[int, dict[str, int]] = {}
    for row in Item.objects.filter(ledger_id__in=ids).values("ledger_id", "status").annotate(n=Count("*")):
        by_status.setdefault(row["ledger_id"], {})[row["status"]] = row["n"]
    overdue = {
        row["ledger_id"]: row["n"]
        for row in Item.objects.filter(ledger_id__in=ids).filter(selectors.overdue_q(today))
        .values("ledger_id").annotate(n=Count("*"))
    }
    for lg in ledgers:
        counts = by_status.get(lg.pk, {})
        lg.total = sum(counts.values())
        lg.status_counts = [(ItemStatus(s).label, STATUS_COLOURS[s], counts[s]) for s in ItemStatus.values
                            if counts.get(s)]
        lg.overdue = overdue.get(lg.pk, 0)


@require_GET
def ledger_list(request):
    user = request.user
    policy.require_somewhere(user, Perm.WORK_VIEW)
    campaigns = campaign_selectors.campaigns_visible(user=user)
    campaign = None
    if request.GET.get("campaign"):
        campaign = campaign_selectors.campaign_get_for(user=user, pk=request.GET["campaign"])
    elif campaigns:
        campaign = campaigns[0]
    unit = None
    if request.GET.get("unit"):
        unit = org_selectors.unit_get_for(user=user, pk=request.GET["unit"], perm=Perm.WORK_VIEW)
    roots, tree_nodes = org_selectors.tree_column(user=user, perm=Perm.WORK_VIEW, current=unit)
    _light_nodes(list(tree_nodes.values()) or roots, campaign)
    if unit is None and len(roots) == 1:
        unit = roots[0]
    can_edit = unit is not None and policy.can(user, Perm.LEDGER_EDIT, unit)
    unit_ledgers, person_ledgers, people_without, led_links = [], [], [], []
    if campaign is not None and unit is not None:
        today = timezone.localdate()
        existing = list(
            selectors.ledgers_visible_to(user=user).filter(campaign=campaign, unit=unit)
            .order_by("kind", "person__id")
        )
        _ledger_counts(existing, today)
        by_kind = {lg.kind: lg for lg in existing if lg.person_id is None}
        for kind in LedgerKind:
            if kind == LedgerKind.PERSONAL:
                continue
            unit_ledgers.append({
                "kind": kind, "layout": LAYOUTS[kind], "ledger": by_kind.get(kind),
                "export_url": _optional_url("ledger-subtree-export", campaign=campaign.pk, unit=unit.pk, kind=kind),
            })
        person_ledgers = [lg for lg in existing if lg.person_id is not None]
        led_links = linkage.led_without_ledger(unit=unit, campaign=campaign, kinds_with_ledger=by_kind)
        if can_edit:
            have = {lg.person_id for lg in person_ledgers}
            people_without = [p for p in unit.people.filter(is_party_leader=True, is_active=True)
                              if p.pk not in have]
    context = {
        "campaigns": campaigns,
        "campaign": campaign,
        "unit": unit,
        "tree_roots": roots,
        "tree_current": unit,
        # On a phone the tree column is hidden: the units one level down (or the top units), and the parent.
        "phone_units": getattr(tree_nodes.get(unit.path), "tree_children", []) if unit else roots,
        "phone_parent": tree_nodes.get(unit.path[:-Unit.steplen]) if unit else None,
        "unit_ledgers": unit_ledgers,
        "person_ledgers": person_ledgers,
        "led_links": led_links,
        "people_without": people_without,
        "personal_layout": LAYOUTS[LedgerKind.PERSONAL],
        "can_edit": can_edit,
        "import_url": (_optional_url("ledger-import", campaign=campaign.pk, unit=unit.pk)
                       if can_edit and campaign else None),
        "active_menu": "ledgers",
    }
    return render(request, "ledgers/ledger_list.html", context)


@require_GET
def ledger_tree(request):
    """htmx fragment: the children of one node of the tree column, linked to their ledgers."""
    node = org_selectors.unit_get_for(user=request.user, pk=request.GET.get("node"), perm=Perm.WORK_VIEW)
    nodes = list(org_selectors.children(node))
    campaign_id = request.GET.get("campaign", "")
    _light_nodes(nodes, int(campaign_id) if campaign_id.isdigit() else None)
    return HttpResponse(ledger_tree_html(nodes, campaign_id=campaign_id))


def _light_nodes(nodes, campaign) -> None:
    """Each node of the tree column carries the light of its subtree (from the kept totals, one query)."""
    lights = selectors.lights_of(nodes, campaign=campaign)
    for node in nodes:
        node.light = lights.get(node.pk)
        node.light_label = LIGHT_LABELS[node.light] if node.light else ""


@require_POST
def ledger_open(request):
    """新建台账: the unit's ledger of a kind (or a party leader's own) for a campaign; opened if it exists."""
    user = request.user
    org_selectors.require_on_named_unit(user=user, perm=Perm.LEDGER_EDIT, pk=request.POST.get("unit"))
    form = LedgerOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择活动、单位和台账类型。"))
        return redirect("ledger-list")
    data = form.cleaned_data
    campaign = campaign_selectors.campaign_get_for(user=user, pk=data["campaign"])
    unit = org_selectors.unit_get_for(user=user, pk=data["unit"], perm=Perm.LEDGER_EDIT)
    person = None
    if data["kind"] == LedgerKind.PERSONAL and data.get("person"):
        person = org_selectors.person_get_for(user=user, pk=data["person"], perm=Perm.WORK_VIEW)
    try:
        ledger = services.ledger_open(actor=user, campaign=campaign, unit=unit, kind=data["kind"], person=person)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(f"{reverse('ledger-list')}?{urlencode({'campaign': campaign.pk, 'unit': unit.pk})}")
    return redirect("ledger-detail", ledger.pk)


# --- one ledger as the attachment's table ----------------------------------------------------------------


def _decorate(items, user, today, leads=None) -> None:
    """What a row or card shows beside the item: its light, the latest progress, what this reader may do.
    `leads` (selectors.item_leads of the items): who leads each, its claimed link's leaders and unit included,
    where the page lists items led through a link (我的事项); else the item's own lead leaders."""
    for item in items:
        item.light = selectors.item_light(item, today)
        item.light_label = LIGHT_LABELS[item.light]
        item.status_colour = STATUS_COLOURS[item.status]
        item.latest = selectors.latest_progress(item)
        item.overdue_days = (today - item.due_on).days if item.light == "red" and item.due_on else 0
        # Editing and reporting depend on neither the closing request nor earlier progress.
        if leads is not None:
            lead = leads.get(item.pk, selectors.NO_LEAD)
            subject = workflow.ItemSubject(item, lead.leader_ids, None, True, lead.lead_unit)
        else:
            subject = workflow.ItemSubject(item, frozenset(p.pk for p in item.lead_leaders.all()), None, True)
        item.may_edit = workflow.allows(user, Action.EDIT, subject)
        item.may_report = workflow.allows(user, Action.PROGRESS, subject)


def _columns(ledger: Ledger):
    # Widths follow the Excel layout so long text columns stay readable while the table scrolls.
    columns = [{"key": c.key, "heading": c.heading, "min_rem": max(3, round(c.width * 0.36, 1))}
               for c in LAYOUTS[ledger.kind].columns]
    if ledger.kind == LedgerKind.PERSONAL:
        # 附件2 prints no 整改时限, yet a leader's own items have deadlines: the screen shows them
        # after the measures (the exports keep the attachment's columns).
        at = next(i for i, c in enumerate(columns) if c["key"] == "measures") + 1
        columns.insert(at, {"key": "deadline", "heading": _("整改时限"), "min_rem": 6})
    return columns


def _lines(text: str) -> str:
    """As the filter linebreaksbr: escaped, each line break a <br>."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _ymd_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"  # as the filter date:"Y年n月j日"


# The ledger's table: each row's cells made in Python, in one pass over the item, by one function per
# column. The URLs, the translated words, the status tags and the action buttons are worked out once per
# page, not once per cell: through the template engine a 50-row page spent most of its time on a loop over
# the columns through an if/elif chain, `{% url %}` and translations in every cell.
class _Sheet:
    """The rows of one ledger's table for one reader."""

    def __init__(self, *, ledger: Ledger, columns: list[dict], user, today: dt.date, marks=None):
        self.user, self.today = user, today
        self.marks = marks or {}  # 上下联动: per item, 上级牵头：娄底市 or 联动：市公安局 (ledgers.linkage.marks_of)
        render = {
            "seq": self._seq, "problem": self._problem, "measures": self._measures, "deadline": self._deadline,
            "lead_leaders": self._lead_leaders, "responsible_units": self._responsible_units,
            "category": self._category, "progress": self._progress,
            "strict_execution": self._strict_execution, "next_steps": self._next_steps,
        }
        self.cells = [(f'<td class="col-{escape(c["key"])}">', render[c["key"]]) for c in columns]
        self.detail_url = stamp(reverse("item-detail", args=[ANY_ID]), {"pk": ANY_ID})
        tag = {name: f"\0{name}\0" for name in ("light", "light_label", "colour", "label")}
        self.tag = stamp(render_to_string("ledgers/_status.html", tag), tag)
        self.status_labels = {value: str(label) for value, label in ItemStatus.choices}
        self.overdue = _("逾期%(n)s天")
        self.title = escape(_("查看事项"))
        self.pending = f'\n  <div class="mt-1"><span class="badge bg-yellow-lt text-nowrap">{escape(_("待核验销号"))}</span></div>'
        self.review = escape(_("复查"))
        self.not_started = f'<span class="text-secondary">{escape(_("尚未开展"))}</span>'
        self.by_office = f' <span class="badge bg-yellow-lt">{escape(_("代填"))}</span>'
        self.not_reported = f'<span class="text-secondary">{escape(_("尚未填报"))}</span>'
        self.four_winds = {value: escape(label) for value, label in FourWinds.choices}
        self.deadline_modes = {value: escape(label) for value, label in DeadlineMode.choices}
        self.institution_actions = {value: escape(label) for value, label in InstitutionAction.choices}
        self.tags: dict[tuple[str, str], str] = {}
        self.buttons: dict[tuple[bool, bool], Callable[[int], str]] = {}
        self.allowed: dict[tuple[str, frozenset[int]], tuple[bool, bool]] = {}
        self.persons = frozenset(policy.persons_of(user))

    def rows(self, items: list[Item], links: selectors.SheetLinks) -> str:
        return mark_safe("".join([self.row(item, links) for item in items]))

    def row(self, item: Item, links: selectors.SheetLinks, oob: str = "") -> str:
        """The item's <tr>: a cell per column of the layout, then its buttons (hidden on a phone, where
        they stand under its number). `oob`: htmx swaps it out of band."""
        item.leaders = links.leaders.get(item.pk, ())
        item.units = links.units.get(item.pk, ())
        item.latest = links.latest.get(item.pk)
        item.light = selectors.item_light(item, self.today)
        item.actions = self._actions(item)
        swap = f' hx-swap-oob="{escape(oob)}"' if oob else ""
        cells = "".join([f"{td}{cell(item)}</td>\n" for td, cell in self.cells])
        return (f'<tr id="item-{item.pk}"{swap}>\n{cells}<td class="d-print-none d-none d-md-table-cell">'
                f"{item.actions}</td>\n</tr>\n")

    def _tag(self, item: Item) -> str:
        """The light and status tag (ledgers/_status.html), made once per light and status."""
        key = (item.light, item.status)
        if key not in self.tags:
            self.tags[key] = self.tag(light=item.light, light_label=LIGHT_LABELS[item.light],
                                      colour=STATUS_COLOURS[item.status],
                                      label=self.status_labels.get(item.status, item.status))
        return self.tags[key]

    def _actions(self, item: Item) -> str:
        """The row's buttons (ledgers/_item_actions.html), rendered once per set of what the reader may do."""
        # The guards read the item's state, the ledger's unit, and of its leaders only whether the reader is
        # one of them (ledgers.rules): rows alike in these are alike to them.
        leader_ids = frozenset(pk for pk, _name in item.leaders) & self.persons
        key = (item.status, leader_ids)
        if key not in self.allowed:
            subject = workflow.ItemSubject(item, leader_ids, None, True)  # as _decorate
            self.allowed[key] = (workflow.allows(self.user, Action.EDIT, subject),
                                 workflow.allows(self.user, Action.PROGRESS, subject))
        may = self.allowed[key]
        if may not in self.buttons:
            self.buttons[may] = stamp(render_to_string("ledgers/_item_actions.html", {
                "item": {"pk": ANY_ID, "may_edit": may[0], "may_report": may[1]}}), {"pk": ANY_ID})
        return self.buttons[may](pk=item.pk)

    def _seq(self, item: Item) -> str:
        pending = self.pending if item.closing_pending else ""
        return (f'<a href="{self.detail_url(pk=item.pk)}" class="fw-bold" title="{self.title}">{item.seq}</a>\n'
                f'  <div class="mt-1">{self._tag(item)}</div>{pending}\n'
                f'  <div class="d-md-none d-print-none mt-2">{item.actions}</div>\n')

    def _problem(self, item: Item) -> str:
        winds = ""
        if item.four_winds:
            label = self.four_winds.get(item.four_winds) or escape(item.four_winds)
            winds = f'<div class="mt-1"><span class="badge bg-purple-lt">{label}</span></div>'
        mark = self.marks.get(item.pk)
        if mark:
            winds += f'<div class="mt-1"><span class="badge bg-indigo-lt">{escape(mark)}</span></div>'
        return f"{_lines(item.problem)}\n  {winds}\n"

    def _measures(self, item: Item) -> str:
        return _lines(item.measures)

    def _deadline(self, item: Item) -> str:
        if item.due_on:
            due = _ymd_zh(item.due_on)
        else:
            due = self.deadline_modes.get(item.deadline_mode) or escape(item.deadline_mode)
        late = review = ""
        if item.light == Light.RED and item.due_on:
            days = self.overdue % {"n": (self.today - item.due_on).days}
            late = f'<div class="text-danger small text-nowrap">{days}</div>'
        if item.review_on:
            review = (f'<div class="small text-secondary text-nowrap">{self.review} '
                      f'{item.review_on.isoformat()}</div>')
        return f'<span class="text-nowrap">{due}</span>\n  {late}\n  {review}\n'

    def _lead_leaders(self, item: Item) -> str:
        return "、".join([f'<span class="text-nowrap">{escape(name)}</span>' for _pk, name in item.leaders])

    def _responsible_units(self, item: Item) -> str:
        return "、".join([escape(name) for name in item.units])

    def _category(self, item: Item) -> str:
        if not item.institution_action:
            return escape(item.category)
        label = self.institution_actions.get(item.institution_action) or escape(item.institution_action)
        return f'{escape(item.category)} <span class="badge bg-indigo-lt">{label}</span>'

    def _progress(self, item: Item) -> str:
        latest = item.latest
        if latest is None:
            return self.not_reported
        text = _lines(latest.progress) if latest.progress else self.not_started
        by_office = self.by_office if latest.by_office else ""
        return (f'{text}\n  <div class="small text-secondary mt-1">{latest.reported_on.isoformat()} '
                f'{escape(latest.leader_name)}{by_office}</div>\n  ')

    def _strict_execution(self, item: Item) -> str:
        return _lines(item.latest.strict_execution) if item.latest else ""

    def _next_steps(self, item: Item) -> str:
        return _lines(item.latest.next_steps) if item.latest else ""


def _filter_selects(form: ItemFilterForm) -> dict[str, str]:
    """The search form's <select>s as Django's widget template writes them (django/forms/widgets/select.html,
    from the same options), without a template rendered per option: the lists of leaders and units grow
    with the ledger."""
    selects = {}
    for name in ("status", "four_winds", "lead_leader", "responsible_unit", "order", "page_size"):
        if name not in form.fields:
            continue
        field = form[name]
        attrs = "".join(f' {key}="{escape(str(value))}"' for key, value in field.field.widget.attrs.items())
        options = "".join(
            f'\n  <option value="{escape(str(o.data["value"]))}"{" selected" if o.data["selected"] else ""}>'
            f'{escape(str(o.data["label"]))}</option>\n' for o in field.subwidgets)
        selects[name] = mark_safe(f'<select name="{field.html_name}"{attrs} id="{field.auto_id}">{options}</select>')
    return selects


def _row_context(request, ledger: Ledger, item: Item, created: bool) -> dict:
    """The saved item's row, to add to the table (created) or to swap for its old row (out of band)."""
    row = selectors.ledger_sheet_items(ledger=ledger).get(pk=item.pk)
    sheet = _Sheet(ledger=ledger, columns=_columns(ledger), user=request.user, today=timezone.localdate())
    links = selectors.ledger_sheet_links(items=[row])
    return {"ledger": ledger, "item": row, "row": mark_safe(sheet.row(row, links, oob="" if created else "true"))}


@require_GET
def ledger_detail(request, pk):
    user = request.user
    ledger = selectors.ledger_get_for(user=user, pk=pk)
    today = timezone.localdate()
    leaders, units = selectors.ledger_filter_choices(ledger=ledger)
    form = ItemFilterForm(request.GET or None, leaders=leaders, units=units, kind=ledger.kind)
    filters = form.filters()
    filtered = any(v for k, v in (form.cleaned_data if form.is_valid() else {}).items()
                   if k not in ("order", "page_size"))
    can_edit = policy.can(user, Perm.LEDGER_EDIT, ledger.unit)
    summary = _ledger_summary(ledger, today)
    paginator = Paginator(selectors.ledger_sheet_items(ledger=ledger, filters=filters, today=today),
                          form.per_page())
    if not filtered:
        paginator.count = summary["total"]  # the counts above the table have it already
    page = paginator.get_page(request.GET.get("page"))
    items = list(page.object_list)
    columns = _columns(ledger)
    context = {
        "ledger": ledger,
        "layout": LAYOUTS[ledger.kind],
        "columns": columns,
        "form": form,
        "selects": _filter_selects(form),
        "filtered": filtered,
        "page": page,
        "rows": _Sheet(ledger=ledger, columns=columns, user=user, today=today,
                       marks=linkage.marks_of([item.pk for item in items])).rows(
            items, selectors.ledger_sheet_links(items=items)),
        "led_links": linkage.led_in(ledger),
        **summary,
        "can_edit": can_edit,
        "import_url": _optional_url("ledger-import", ledger=ledger.pk) if can_edit else None,
        "export_xlsx": _optional_url("ledger-export", ledger.pk, format="xlsx"),
        "export_docx": _optional_url("ledger-export", ledger.pk, format="docx"),
        "today": today,
        "list_url": f"{reverse('ledger-list')}?{urlencode({'campaign': ledger.campaign_id, 'unit': ledger.unit_id})}",
        "active_menu": "ledgers",
    }
    return render(request, "ledgers/ledger_detail.html", context)


# --- adding and editing items: an htmx panel above the table, or a page of its own without JavaScript ------


def _item_form(request, ledger: Ledger, initial=None):
    unit = ledger.unit
    people = (org_selectors.people_visible_to(user=request.user)
              .filter(path_range_q(unit.path, "unit__path"), is_party_leader=True, is_active=True)
              .order_by("unit__path", "-is_unit_head", "id"))
    units = org_selectors.subtree(unit).filter(abolished_on__isnull=True)
    return ItemForm(request.POST or None, initial=initial, ledger=ledger, people=people, units=units,
                    tasks=selectors.special_tasks_for(unit=unit))


def _render_item_form(request, ledger, form, item=None, status=200):
    context = {"ledger": ledger, "layout": LAYOUTS[ledger.kind], "form": form, "item": item,
               "active_menu": "ledgers"}
    template = "ledgers/_item_form.html" if _is_htmx(request) else "ledgers/item_form.html"
    return render(request, template, context, status=status)


def _ledger_summary(ledger: Ledger, today) -> dict:
    """The counts above the table: items in all, by status, overdue (one grouped query)."""
    counts = selectors.ledger_counts(ledger=ledger, today=today)
    return {
        "summary": [(ItemStatus(s).label, STATUS_COLOURS[s], counts.by_status[s]) for s in ItemStatus.values
                    if counts.by_status.get(s)],
        "total": counts.total,
        "overdue": counts.overdue,
    }


def _saved(request, ledger: Ledger, item: Item, created: bool):
    if created:
        message = _("已新增第%(seq)s项。") % {"seq": item.seq}
    else:
        message = _("第%(seq)s项已保存。") % {"seq": item.seq}
    if _is_htmx(request):
        # The row goes into the table, and the counts above it follow (both out of band).
        context = {**_row_context(request, ledger, item, created), **_ledger_summary(ledger, timezone.localdate()),
                   "created": created, "message": message}
        return render(request, "ledgers/_item_saved.html", context)
    messages.success(request, message)
    return redirect(f"{reverse('ledger-detail', args=[ledger.pk])}#item-{item.pk}")


@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    ledger = selectors.ledger_get_for(user=request.user, pk=pk, perm=Perm.LEDGER_EDIT)
    form = _item_form(request, ledger)

    def write(data):
        item = services.item_create(actor=request.user, ledger=ledger, **form.service_kwargs())
        return _saved(request, ledger, item, created=True)

    return form_write(request, form, write) or _render_item_form(request, ledger, form)


@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = selectors.item_get_for(user=request.user, pk=pk)
    subject = _authorized(request, item, Action.EDIT)
    refused = workflow.refusal_of(request.user, Action.EDIT, subject)
    if request.method == "GET" and refused is not None:  # e.g. closed: say why rather than show a dead form
        messages.error(request, refused.message)
        return redirect("item-detail", item.pk)
    ledger = item.ledger
    initial = {f: getattr(item, f) for f in ("problem", "measures", "four_winds", "subject", "problem_level",
                                             "handling", "source", "deadline_mode", "due_on", "review_on",
                                             "special_task", "category", "institution_action")}
    initial["lead_leaders"] = list(item.lead_leaders.all())
    initial["responsible_units"] = list(item.responsible_units.all())
    form = _item_form(request, ledger, initial=initial)

    def write(data):
        return _saved(request, ledger, services.item_update(actor=request.user, item=item, **form.service_kwargs()),
                      created=False)

    return form_write(request, form, write) or _render_item_form(request, ledger, form, item=item)


# --- one item: everything about it, its timeline, and the actions the reader may take ----------------------



def _timeline(reads: selectors.ItemPageReads) -> list[dict]:
    """Events, progress entries with their files and closing requests with decisions, newest first."""
    entries = [{"kind": "event", "at": e.at, "event": e, "who": actor_label(e.actor)} for e in reads.events]
    entries += [{"kind": "progress", "at": p.created_at, "entry": p, "who": actor_label(p.author)}
                for p in reads.progress]
    entries += [{"kind": "closing", "at": c.requested_at, "request": c, "who": actor_label(c.requested_by),
                 "decider": actor_label(c.decided_by) if c.decided_by_id else ""} for c in reads.closings]
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


def _abilities(user, item: Item, reads: selectors.ItemPageReads) -> dict:
    """What the page offers: exactly the workflow's actions for this reader now."""
    subject = workflow.ItemSubject.of(item, pending=reads.pending, has_progress=reads.has_progress)
    allowed = workflow.actions_for(user, subject)
    is_lead = rules.is_lead_leader(user, subject.leader_ids)
    return {
        "actions": allowed,
        "is_lead": is_lead,
        "can_edit": Action.EDIT in allowed,
        "can_progress": Action.PROGRESS in allowed,
        "on_behalf": Action.PROGRESS in allowed and not is_lead,
        "can_request_close": Action.REQUEST_CLOSE in allowed,
        "can_decide": Action.VERIFY_CLOSE in allowed,
        "can_send_back": Action.SEND_BACK in allowed,
        "can_relapse": Action.RELAPSE in allowed,
    }


# Each action form of the item page: what the reader tried, and where its form stands on the page.
_ACTION_FORMS = {
    "progress_form": (_("未能填报进展"), "progress"),
    "closing_form": (_("未能申请销号"), "closing"),
    "decision_form": (_("未能处理销号申请"), "decision"),
    "send_back_form": (_("未能回炉"), "send-back"),
    "relapse_form": (_("未能标记反弹"), "relapse"),
}


def _refused(bound: dict) -> dict | None:
    """A submitted action form that came back with errors, said at the top of the page: on a phone the
    form itself may stand below the fold, under the item's facts."""
    for name, form in bound.items():
        if form.errors:
            title, anchor = _ACTION_FORMS[name]
            return {"title": title, "anchor": anchor,
                    "errors": list(form.non_field_errors()) or [_("请检查表单中标红的内容。")]}
    return None


def _item_page(request, item: Item, status=200, **bound):
    """The item page; `bound` carries a submitted form back with its errors."""
    user = request.user
    reads = selectors.item_page_reads(item, event_kinds=EVENT_LINES)
    can = _abilities(user, item, reads)
    today = timezone.localdate()
    light = selectors.item_light(item, today)
    context = {
        "item": item,
        "ledger": item.ledger,
        "layout": LAYOUTS[item.ledger.kind],
        "problem_heading": next(c.heading for c in LAYOUTS[item.ledger.kind].columns if c.key == "problem"),
        "light": light,
        "light_label": LIGHT_LABELS[light],
        "overdue_days": (today - item.due_on).days if light == "red" and item.due_on else 0,
        "status_colour": STATUS_COLOURS[item.status],
        "lead_leaders": list(item.lead_leaders.all()),
        "responsible_units": list(item.responsible_units.all()),
        "latest": reads.latest,
        "pending": reads.pending,
        "loose_evidence": reads.loose_evidence,
        "timeline": _timeline(reads),
        "can": can,
        "progress_form": bound.get("progress_form")
        or (ProgressForm(item=item, on_behalf=can["on_behalf"]) if can["can_progress"] else None),
        "closing_form": bound.get("closing_form") or (ClosingRequestForm() if can["can_request_close"] else None),
        "decision_form": bound.get("decision_form") or (ClosingDecisionForm() if can["can_decide"] else None),
        "send_back_form": bound.get("send_back_form") or (SendBackForm() if can["can_send_back"] else None),
        "relapse_form": bound.get("relapse_form") or (RelapseForm() if can["can_relapse"] else None),
        "open_form": next(iter(bound), ""),
        "refused": _refused(bound),
        "ledger_url": reverse("ledger-detail", args=[item.ledger_id]),
        "panels": ITEM_PAGE.shown(item, user),
        "active_menu": "ledgers",
    }
    return render(request, "ledgers/item_detail.html", context, status=status)


def _done(request, item: Item, message: str):
    messages.success(request, message)
    return redirect(f"{reverse('item-detail', args=[item.pk])}#timeline")


@require_GET
def item_detail(request, pk):
    return _item_page(request, selectors.item_get_for(user=request.user, pk=pk))


# --- the item page's actions: fetch → authorize → bind the form → call the service → the timeline -----------
#
# The action is authorized before its form is bound, so a refusal answers 403 (or 404 to one who may
# not read the item, as for an absent one), never a form error. The service checks it again.


def _authorized(request, item: Item, action: Action, pending: ClosingRequest | None = None) -> workflow.ItemSubject:
    """The item as the action's guard sees it, once the reader may take `action` on it."""
    subject = workflow.ItemSubject.of(item, pending=pending, has_progress=True)
    workflow.authorize(request.user, action, subject)
    return subject


def _act(request, item: Item, form, form_name: str, write: Callable[[dict], str]):
    """An authorized action's input: if valid, `write` calls the service and says what it did, and the reader
    goes back to the timeline; if not, or if the service refuses, the item page shows the form with its errors."""
    return (form_write(request, form, lambda data: _done(request, item, write(data)))
            or _item_page(request, item, **{form_name: form}))


def _calling(service, message: str, **known) -> Callable[[dict], str]:
    """`write` for _act when the form's fields are the service's arguments: `known` and the fields, then `message`."""
    def write(data: dict) -> str:
        service(**known, **data)
        return message
    return write


def _item_action(action: Action, form_class, form_name: str, service, message: str):
    """The view of an action whose form's fields are all its service needs, besides the reader and the item."""

    @require_POST
    def view(request, pk):
        item = selectors.item_get_for(user=request.user, pk=pk)
        _authorized(request, item, action)
        return _act(request, item, form_class(request.POST, request.FILES), form_name,
                    _calling(service, message, actor=request.user, item=item))

    return view


@require_POST
def item_progress(request, pk):
    """填报进展: a lead leader's report, or the office's on a leader's behalf (代填), with evidence files."""
    user = request.user
    item = selectors.item_get_for(user=user, pk=pk)
    subject = _authorized(request, item, Action.PROGRESS)
    on_behalf = not rules.is_lead_leader(user, subject.leader_ids)  # 代填: the form asks which leader
    form = ProgressForm(request.POST, request.FILES, item=item, on_behalf=on_behalf)
    return _act(request, item, form, "progress_form",
                _calling(services.progress_add, _("已填报进展。"), actor=user, item=item))


# 申请销号: a lead leader asks to close the item, with a summary and evidence.
item_closing_request = _item_action(Action.REQUEST_CLOSE, ClosingRequestForm, "closing_form", services.closing_request,
                                    gettext_lazy("已提交销号申请，待核验。"))


@require_POST
def closing_decide(request, pk):
    """核验销号 or 退回 a pending closing request; never by the one who asked."""
    closing = selectors.closing_get_for(user=request.user, pk=pk)
    _authorized(request, closing.item, Action.VERIFY_CLOSE, pending=closing)

    def decide(data: dict) -> str:
        if data["decision"] == ClosingDecisionForm.VERIFY:
            services.closing_verify(actor=request.user, request=closing, note=data["note"])
            return _("已核验，事项销号。")
        services.closing_return(actor=request.user, request=closing, reason=data["note"])
        return _("已退回销号申请。")

    return _act(request, closing.item, ClosingDecisionForm(request.POST), "decision_form", decide)


# 回炉/补课: reopen the item with a reason, and a new deadline if one is given.
item_send_back = _item_action(Action.SEND_BACK, SendBackForm, "send_back_form", services.item_send_back,
                              gettext_lazy("事项已回炉。"))
# 反弹: a closed item whose problem came back is reopened.
item_relapse = _item_action(Action.RELAPSE, RelapseForm, "relapse_form", services.item_relapse,
                            gettext_lazy("事项已标记为反弹并重新打开。"))


@require_GET
def evidence_download(request, pk):
    """A file as it was uploaded, under its original name, to whoever may read the item."""
    evidence = Evidence.objects.filter(pk=pk).only("pk", "item_id", "sha256", "original_name",
                                                   "content_type").first()
    if evidence is None:
        raise Http404
    selectors.item_get_for(user=request.user, pk=evidence.item_id)
    path = evidence_path(evidence.sha256)
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=evidence.original_name,
                        content_type=evidence.content_type)


# --- 我的事项 ------------------------------------------------------------------------------------------------


@require_GET
def my_items(request):
    user = request.user
    policy.require_somewhere(user, Perm.WORK_VIEW)
    today = timezone.localdate()
    page = Paginator(selectors.items_led_by(user=user), 50).get_page(request.GET.get("page"))
    page.object_list = items = list(page.object_list)
    # 本人牵头 (上下联动): the items led through a claimed link are marked, and the page links to 上下联动 (the
    # menu shows that entry to LEDGER_EDIT holders only: whether a login leads a link would cost every page a query).
    _decorate(items, user, today, leads=selectors.item_leads([item.pk for item in items]))
    marks = linkage.marks_of([item.pk for item in items])
    for item in items:
        item.link_mark = marks.get(item.pk, "")
    return render(request, "ledgers/my_items.html", {"page": page, "active_menu": "my-items",
                                                     "any_linked": any(item.link_mark for item in items)})


def _subtree_asked(request) -> tuple[Unit | None, int | None]:
    """?unit= (a unit in the reader's scope, or 404) and ?campaign= (a filter of what the reader sees)."""
    unit = None
    if request.GET.get("unit"):
        unit = org_selectors.unit_get_for(user=request.user, pk=request.GET["unit"], perm=Perm.WORK_VIEW)
    return unit, int(request.GET["campaign"]) if request.GET.get("campaign", "").isdigit() else None


@require_GET
def subtree_items(request):
    """事项查询: the items of a unit's subtree (?unit=; without it, of the reader's whole scope) through the
    ledger page's filters, across every ledger, 50 to a page ("every overdue item under 涟源市")."""
    user = request.user
    policy.require_somewhere(user, Perm.WORK_VIEW)
    today = timezone.localdate()
    unit, campaign_id = _subtree_asked(request)
    form = SubtreeItemFilterForm(request.GET or None)
    items = selectors.items_under(user=user, unit=unit, campaign_id=campaign_id, filters=form.filters(), today=today)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    _decorate(page.object_list, user, today)
    return render(request, "ledgers/subtree_items.html", {
        "page": page, "unit": unit, "campaign_id": campaign_id, "form": form, "active_menu": "ledgers"})


@require_GET
def overdue_items(request):
    """逾期事项: every overdue item of the reader's scope (the home page's card opens it), or of one unit's
    subtree (?unit=, from its 汇总): 事项查询 with its one filter, the longest overdue first."""
    user = request.user
    policy.require_somewhere(user, Perm.WORK_VIEW)
    today = timezone.localdate()
    unit, campaign_id = _subtree_asked(request)
    items = selectors.items_under(user=user, unit=unit, campaign_id=campaign_id, today=today,
                                  filters=selectors.ItemFilters(overdue=True, order="due_on"))
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    _decorate(page.object_list, user, today)
    return render(request, "ledgers/overdue_items.html", {"page": page, "unit": unit, "active_menu": "ledgers"})
