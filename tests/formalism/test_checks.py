"""Each check flags its planted case and not its near-miss (tests/formalism/world.py), at the default thresholds:
weakening a threshold or a rule fails one of these. A re-scan finds the same flags again and adds none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huitoukan.formalism import checks
from huitoukan.formalism.models import Flag, FlagKind, FlagState
from huitoukan.formalism.services import formalism_scan
from tests.formalism.world import DUE

K = FlagKind


def flags(w, kind) -> dict:
    return {(f.unit_id, f.key): f for f in Flag.objects.filter(campaign=w.campaign, kind=kind)}


@pytest.fixture
def scanned(w):
    formalism_scan(campaign=w.campaign)
    return w


def test_reused_evidence_across_units_not_twice_on_one_item(scanned):
    w, p = scanned, scanned.planted
    found = flags(w, K.EVIDENCE_REUSED)
    assert set(found) == {(w.tree.qiaotouhe.pk, p["reused_digest"]), (w.tree.leping.pk, p["reused_digest"])}
    flag = found[(w.tree.qiaotouhe.pk, p["reused_digest"])]
    assert list(flag.items.values_list("pk", flat=True)) == [p["reused_a"].pk]
    assert flag.evidence["sha256"] == p["reused_digest"] and len(flag.evidence["files"]) == 2
    assert "2个事项" in flag.sentence and "另有其他1个单位的1项" in flag.sentence


def test_reused_evidence_common_to_many_units_is_a_circulated_document(w):
    t = {**checks.thresholds(), "reuse_common_units": 2}
    assert not checks.evidence_reused(checks.Scope(w.campaign), t)


def test_late_evidence_beyond_the_grace_of_an_item_still_closed(scanned):
    w, p = scanned, scanned.planted
    found = flags(w, K.EVIDENCE_LATE)
    assert set(found) == {(w.tree.lianyuan.pk, str(p["late"].pk))}
    assert "晚于销号2.0小时" in found[(w.tree.lianyuan.pk, str(p["late"].pk))].sentence


def test_tiny_evidence_only_when_every_file_is_tiny(scanned):
    w, p = scanned, scanned.planted
    found = flags(w, K.EVIDENCE_TINY)
    assert set(found) == {(w.tree.qiaotouhe.pk, str(p["tiny"].pk))}
    data = found[(w.tree.qiaotouhe.pk, str(p["tiny"].pk))].evidence
    assert data["files"][0]["norm"] == 500_000 and data["files"][0]["size"] == 10_000


def test_tiny_evidence_needs_enough_files_for_a_norm(w):
    t = {**checks.thresholds(), "tiny_min_samples": 1000}
    scope = checks.Scope(w.campaign)
    assert not checks.evidence_tiny(scope, t, checks._closed_evidence(scope))


def test_deadline_day_closings_by_count_and_share(scanned):
    w = scanned
    found = flags(w, K.DEADLINE_DAY)
    assert set(found) == {(w.tree.louxing.pk, "unit")}
    flag = found[(w.tree.louxing.pk, "unit")]
    assert flag.items.count() == 10 and flag.evidence["days"] == {DUE.isoformat(): 10}


def test_text_alike_across_units_not_half_alike_short_or_within_one_unit(scanned):
    w, p = scanned, scanned.planted
    found = flags(w, K.TEXT_ALIKE)
    ring = {(it.ledger.unit_id, f"problem:{it.pk}") for it in p["ring"]}
    assert set(found) == ring
    flag = found[(w.tree.leping.pk, f"problem:{p['ring'][1].pk}")]
    assert flag.evidence["similarity"] >= 0.7 and len(flag.evidence["units"]) == 3
    assert "其他2个单位" in flag.sentence


def test_text_common_to_many_units_is_template_wording(w):
    t = {**checks.thresholds(), "text_template_units": 3}
    assert not checks.text_alike(checks.Scope(w.campaign), t)


def test_progress_rush_is_a_burst_before_the_deadline_ends(scanned):
    w, p = scanned, scanned.planted
    found = flags(w, K.PROGRESS_RUSH)
    assert set(found) == {(w.tree.lianyuan.pk, DUE.isoformat())}
    flag = found[(w.tree.lianyuan.pk, DUE.isoformat())]
    assert len(flag.evidence["entries"]) == 10
    assert set(flag.items.values_list("pk", flat=True)) == {it.pk for it in p["rush"]}
    assert "21:00至21:18" in flag.sentence


def test_progress_rush_counts_a_reporting_deadline_too(w):
    from huitoukan.campaigns.models import Deadline

    Deadline.objects.create(campaign=w.campaign, name="报送台账", due_on=DUE + dt.timedelta(days=1), levels=[])
    from huitoukan.ledgers.models import Item

    other = Item.objects.filter(pk=w.planted["rush"][0].pk).first()
    from tests.formalism.world import at, progress

    for k in range(10):
        progress(w, other, at(DUE + dt.timedelta(days=1), 23, k))
    found = checks.progress_rush(checks.Scope(w.campaign), checks.thresholds())
    assert {(f.unit_id, f.key) for f in found} == {(w.tree.lianyuan.pk, DUE.isoformat()),
                                                   (w.tree.lianyuan.pk, (DUE + dt.timedelta(days=1)).isoformat())}


def test_rescan_finds_the_same_flags_and_keeps_decisions(w):
    first = formalism_scan(campaign=w.campaign, now=timezone.now() - dt.timedelta(days=1))
    assert first["new"] == first["found"] == Flag.objects.count()
    Flag.objects.filter(kind=K.EVIDENCE_LATE).update(state=FlagState.DISMISSED, reason="补传原件")
    before = {f.pk: (f.first_seen, f.last_seen) for f in Flag.objects.all()}
    links = Flag.items.through.objects.count()
    again = formalism_scan(campaign=w.campaign)
    assert again["new"] == 0 and again["again"] == first["found"]
    after = {f.pk: (f.first_seen, f.last_seen) for f in Flag.objects.all()}
    assert after.keys() == before.keys()
    assert all(after[pk][0] == before[pk][0] and after[pk][1] > before[pk][1] for pk in before)
    assert Flag.items.through.objects.count() == links
    assert Flag.objects.get(kind=K.EVIDENCE_LATE).state == FlagState.DISMISSED


def test_scan_of_some_units_writes_their_flags_only(w):
    formalism_scan(campaign=w.campaign, units=[w.tree.lianyuan])
    units = set(Flag.objects.values_list("unit__path", flat=True))
    assert units and all(path.startswith(w.tree.lianyuan.path) for path in units)
    # the ring is compared over the whole campaign: 桥头河镇's copy is still flagged
    assert Flag.objects.filter(kind=K.TEXT_ALIKE, unit=w.tree.qiaotouhe).exists()


def test_scan_queries_do_not_grow_with_the_items(w):
    with CaptureQueriesContext(connection) as queries:
        formalism_scan(campaign=w.campaign)
    assert len(queries) <= 25, [q["sql"][:80] for q in queries]


def test_the_command_runs_the_scan(w):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("formalism-scan", "--campaign", str(w.campaign.pk), stdout=out)
    assert "佐证材料重复使用 2" in out.getvalue()
    assert Flag.objects.filter(campaign=w.campaign).count() == 9


def test_signatures_are_datasketchs_own():
    import random

    import numpy as np
    from datasketch import MinHash

    rng = random.Random(7)
    texts = [[rng.getrandbits(32) for _ in range(rng.randint(1, 80))] for _ in range(500)]
    flat = np.array([h for text in texts for h in text], dtype=np.uint32)
    offsets = np.concatenate(([0], np.cumsum([len(text) for text in texts])))
    ours = checks.signature_matrix(flat, offsets, 64)
    theirs = MinHash.bulk(texts, num_perm=64, hashfunc=int)
    assert all(np.array_equal(row, b.hashvalues) for row, b in zip(ours, theirs, strict=True))


def test_the_command_takes_a_unit_by_its_path_as_ledger_verify_does_or_its_id(w):
    from io import StringIO

    from django.core.management import CommandError, call_command

    call_command("formalism-scan", "--campaign", str(w.campaign.pk), "--unit", "娄底市/涟源市", stdout=StringIO())
    paths = set(Flag.objects.values_list("unit__path", flat=True))
    assert paths and all(path.startswith(w.tree.lianyuan.path) for path in paths)
    call_command("formalism-scan", "--campaign", str(w.campaign.pk), "--unit", str(w.tree.louxing.pk),
                 stdout=StringIO())
    assert Flag.objects.filter(unit=w.tree.louxing).exists()
    with pytest.raises(CommandError, match="娄底市/没有这个县"):
        call_command("formalism-scan", "--campaign", str(w.campaign.pk), "--unit", "娄底市/没有这个县")
    with pytest.raises(CommandError, match="单位编号“999999”不存在"):
        call_command("formalism-scan", "--campaign", str(w.campaign.pk), "--unit", "999999")


def test_the_exact_path_and_minhash_lsh_find_the_same_flags(w, monkeypatch):
    # the world's texts are few (the exact path); the same texts through MinHash LSH give the same flags
    scope, t = checks.Scope(w.campaign), checks.thresholds()
    exact = checks.text_alike(scope, t)
    assert exact
    monkeypatch.setattr(checks, "EXACT_TEXTS", 0)
    lsh = checks.text_alike(scope, t)
    assert [(f.unit_id, f.key, f.item_ids, f.evidence) for f in lsh] == \
        [(f.unit_id, f.key, f.item_ids, f.evidence) for f in exact]
