"""Reads of campaigns and deadlines."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns.errors import CampaignError, CampaignErrorCode
from huitoukan.campaigns.models import Campaign, Deadline, Phase, ReminderRecipient, TargetRule
from huitoukan.core import sql
from huitoukan.core.lights import Light, light_for
from huitoukan.core.paths import ancestor_paths, path_range_sql
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit, UnitLevel


def _ancestor_or_self_paths(prefixes: tuple[str, ...]) -> set[str]:
    paths: set[str] = set()
    for p in prefixes:
        paths.update(ancestor_paths(p, include_self=True))
    return paths


def campaigns_visible(*, user) -> list[Campaign]:
    """Campaigns run inside the user's scope, and those run above it that apply to it, newest first,
    each with its owner unit. Nearly every page asks, so the read is SQL written once (core.sql)."""
    scope = policy.scope(user, Perm.CAMPAIGN_VIEW)
    if not scope:
        return []
    where, params = "1 = 1", []
    if not scope.everywhere:
        terms = []
        for prefix in scope.prefixes:
            term, term_params = path_range_sql(prefix, 'u."path"')
            terms.append(term)
            params += term_params
        above = sorted(_ancestor_or_self_paths(scope.prefixes))
        terms.append(f'u."path" IN ({sql.marks(above)})')
        params += above
        where = " OR ".join(terms)
    rows = sql.fetch(
        f"SELECT {sql.columns(Campaign, 'c')}, {sql.columns(Unit, 'u')} FROM {Campaign._meta.db_table} c "
        f'INNER JOIN {Unit._meta.db_table} u ON u."id" = c."owner_unit_id" WHERE {where} '
        'ORDER BY c."starts_on" DESC, c."id"', params)
    campaigns = []
    for row in rows:
        campaign = sql.instance(Campaign, row)
        campaign.owner_unit = sql.instance(Unit, row, sql.width(Campaign))
        campaigns.append(campaign)
    return campaigns


def campaigns_visible_to(*, user) -> QuerySet[Campaign]:
    """`campaigns_visible` as a queryset, for callers that go on filtering or prefetching."""
    ids = [c.pk for c in campaigns_visible(user=user)]
    return Campaign.objects.filter(pk__in=ids).select_related("owner_unit").order_by("-starts_on", "id")


def campaign_get_for(*, user, pk, perm: Perm = Perm.CAMPAIGN_VIEW) -> Campaign:
    """The campaign, or 404; a campaign that exists out of scope is a logged refusal. With
    CAMPAIGN_MANAGE, a campaign the user sees but may not manage (over its owner unit) is 403."""
    key = sql.key_or_none(pk)
    found = next((c for c in campaigns_visible(user=user) if c.pk == key), None) if key is not None else None
    if found is None:
        existing = Campaign.objects.filter(pk=pk).select_related("owner_unit").first() if str(pk).isdigit() else None
        if existing is not None:
            raise policy.Denied(Perm.CAMPAIGN_VIEW, existing.owner_unit)
        raise Http404
    if perm != Perm.CAMPAIGN_VIEW and not policy.can(user, perm, found.owner_unit):
        # Seen (run here or above, applying here): a refusal, not an absence.
        raise policy.Forbidden(perm, found.owner_unit)
    return found


def campaign_may_manage(*, user, campaign: Campaign) -> bool:
    return policy.can(user, Perm.CAMPAIGN_MANAGE, campaign.owner_unit)


def may_create_campaigns(*, user) -> bool:
    return policy.has_perm_somewhere(user, Perm.CAMPAIGN_MANAGE)


def deadline_expected_units(*, deadline: Deadline, within: Unit | None = None) -> QuerySet[Unit]:
    """Units that must report, ordered by path, existing on the due date: by the deadline's rule, the
    owner unit's direct subordinates (CHILDREN) or the units of its levels below the owner (LEVELS),
    of its kinds when it names any. `within` narrows to that unit's part (a county sees its own).

    "Below" and "direct" are the tree as it stood on the due date: a unit moved or merged later still
    counts where it was then. Three queries whatever the number of units. A unit's kind is read as it
    is today (kinds do not change in practice, and the dated states hold names and levels only).
    """
    owner = deadline.campaign.owner_unit
    base = within if within is not None and within.path.startswith(owner.path) else owner
    day = deadline.due_on
    # Where a unit sat and its level come from the history; 成立 and 撤销 are dated facts that
    # may be recorded after the day they happened, so they come from the unit itself.
    then = org_selectors.unit_states_on(day, ids={owner.pk, base.pk})
    owner_name = then[owner.pk].full_name if owner.pk in then else owner.full_name
    base_then = then.get(base.pk)
    base_name = base_then.full_name if base_then else base.full_name
    if deadline.target_rule == TargetRule.CHILDREN:
        prefix = owner_name + "/"
        states = org_selectors.unit_states_on(day, under=prefix).values()
        # Below the owner, only a direct subordinate itself is inside its own part.
        ids = [s.id for s in states if "/" not in s.full_name[len(prefix):]
               and (base.pk == owner.pk or s.full_name == base_name)]
    else:
        ids = list(org_selectors.unit_states_on(day, levels=deadline.levels, under=base_name + "/"))
        if base.pk != owner.pk and base_then is not None and base_then.level in deadline.levels:
            ids.append(base.pk)
    units = Unit.objects.filter(pk__in=ids)
    if deadline.kinds:
        units = units.filter(kind__in=list(deadline.kinds))
    return org_selectors.existing_on(units, day).order_by("path")


def deadline_expected_units_for(*, user, deadline: Deadline) -> QuerySet[Unit]:
    """The expected units that the user can see: a county office counts its own county."""
    return deadline_expected_units(deadline=deadline).filter(policy.units_q(user, Perm.CAMPAIGN_VIEW))


def deadlines_for_user(*, user, today: dt.date | None = None, limit: int = 20,
                       campaigns: list[Campaign] | None = None) -> list[tuple[Deadline, Light]]:
    """Deadlines of visible campaigns, nearest first, each with its light and its campaign; `campaigns`,
    when the caller has them, are the user's campaigns_visible. SQL written once: every home page shows them."""
    today = today or timezone.localdate()
    if campaigns is None:
        campaigns = campaigns_visible(user=user)
    by_id = {c.pk: c for c in campaigns}
    if not by_id:
        return []
    rows = sql.fetch(
        f'SELECT {sql.columns(Deadline, "d")} FROM {Deadline._meta.db_table} d '
        f'WHERE d."campaign_id" IN ({sql.marks(by_id)}) ORDER BY d."due_on", d."id" LIMIT %s', [*by_id, limit])
    deadlines = [sql.instance(Deadline, row) for row in rows]
    for d in deadlines:
        d.campaign = by_id[d.campaign_id]
    return [(d, light_for(due_on=d.due_on, today=today)) for d in deadlines]


def _current(phases, today: dt.date) -> Phase | None:
    for phase in phases:
        if phase.starts_on <= today <= phase.ends_on:
            return phase
    return None


def current_phase(campaign: Campaign, today: dt.date | None = None) -> Phase | None:
    return _current(campaign.phases.all(), today or timezone.localdate())


def current_phases(campaigns: list[Campaign], today: dt.date | None = None) -> list[tuple[Campaign, Phase | None]]:
    """Each campaign with its current phase, from one read of their phases."""
    if not campaigns:
        return []
    phases: dict[int, list[Phase]] = {c.pk: [] for c in campaigns}
    for row in sql.fetch(f'SELECT {sql.columns(Phase, "p")} FROM {Phase._meta.db_table} p '
                         f'WHERE p."campaign_id" IN ({sql.marks(phases)}) ORDER BY p."campaign_id", p."order"',
                         list(phases)):
        phase = sql.instance(Phase, row)
        phases[phase.campaign_id].append(phase)
    today = today or timezone.localdate()
    return [(c, _current(phases[c.pk], today)) for c in campaigns]


def campaign_named(name: str, *, unit=None) -> Campaign:
    """The campaign of that name (the command line names campaigns); of several, the one run by
    `unit` or above it. An unknown or still ambiguous name is a CampaignError listing the owners."""
    found = list(Campaign.objects.filter(name=name.strip()).select_related("owner_unit").order_by("id")[:20])
    if len(found) > 1 and unit is not None:
        found = [c for c in found if unit.path.startswith(c.owner_unit.path)] or found
    if not found:
        raise CampaignError(CampaignErrorCode.NOT_FOUND, name=name)
    if len(found) > 1:
        raise CampaignError(CampaignErrorCode.AMBIGUOUS, name=name,
                            where="、".join(c.owner_unit.full_name for c in found))
    return found[0]


def reminder_step_text(step: dict) -> str:
    """“到期前7天：本单位活动办、责任领导”, “到期当日：…”, “逾期1天：主要负责同志”."""
    days = step["days"]
    when = (_("到期前%(n)s天") % {"n": -days} if days < 0 else _("到期当日") if days == 0
            else _("逾期%(n)s天") % {"n": days})
    to = "、".join(str(ReminderRecipient(r).label) for r in step["to"] if r in ReminderRecipient.values)
    return f"{when}：{to}"


def reminder_steps_text(steps) -> list[str]:
    return [reminder_step_text(step) for step in steps]


def deadline_target_text(deadline: Deadline) -> str:
    """Who is expected, in words: “直属下级单位（党委、党组）” or “下辖各级单位：县、乡镇街道（各类单位）”."""
    kinds = "、".join(deadline.kind_labels()) or _("各类单位")
    if deadline.target_rule == TargetRule.CHILDREN:
        return _("直属下级单位（%(kinds)s）") % {"kinds": kinds}
    return _("下辖各级单位：%(levels)s（%(kinds)s）") % {"levels": "、".join(deadline.level_labels()), "kinds": kinds}


def review_levels_text(campaign: Campaign) -> str:
    levels = [str(UnitLevel(lv).label) for lv in campaign.review_levels if lv in UnitLevel.values]
    owner = campaign.owner_unit.full_name
    if not levels:
        return _("直接报%(owner)s审阅") % {"owner": owner}
    return _("经%(levels)s级单位逐级审阅，最后报%(owner)s") % {"levels": "、".join(levels), "owner": owner}
