"""Who sees the flags (the office and the supervision group over the unit; nobody else, 404 like an absent flag),
the list's filters, the flag page naming its evidence, 排除 and 转为督查发现 in one step."""

from __future__ import annotations

import pytest
from django.test import Client

from huitoukan.formalism import services
from huitoukan.formalism.errors import FormalismError
from huitoukan.formalism.models import Flag, FlagKind, FlagState
from huitoukan.supervision.models import Finding, FindingState


@pytest.fixture
def scanned(w):
    services.formalism_scan(campaign=w.campaign)
    return w


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def flag(w, kind, unit) -> Flag:
    return Flag.objects.get(campaign=w.campaign, kind=kind, unit=unit)


def test_office_and_group_see_their_units_flags_only(scanned):
    w = scanned
    mine = flag(w, FlagKind.TEXT_ALIKE, w.tree.qiaotouhe)  # under 涟源市
    theirs = flag(w, FlagKind.TEXT_ALIKE, w.tree.leping)  # under 娄星区
    for user in (w.office, w.supervisor):
        c = client(user)
        page = c.get("/formalism/")
        assert page.status_code == 200
        shown = {f.pk for f in page.context["page"]}
        assert mine.pk in shown and theirs.pk not in shown
        assert "形式主义预警" in page.content.decode()
        assert c.get(f"/formalism/{mine.pk}/").status_code == 200
        assert c.get(f"/formalism/{theirs.pk}/").status_code == 404
    for user in (w.filler, w.head, w.discipline):
        c = client(user)
        assert c.get("/formalism/").status_code == 403
        assert c.get(f"/formalism/{mine.pk}/").status_code == 404
        assert c.post(f"/formalism/{mine.pk}/dismiss/", {"reason": "x"}).status_code == 404
        assert "/formalism/" not in c.get("/").content.decode()
    assert client(w.outsider).get(f"/formalism/{mine.pk}/").status_code == 404
    assert client(w.outsider).get(f"/formalism/{theirs.pk}/").status_code == 200
    assert Client().get(f"/formalism/{mine.pk}/").status_code == 302  # to the login page, never the flag


def test_list_filters_by_kind_state_and_unit(scanned):
    w = scanned
    c = client(w.office)
    kinds = {f.kind for f in c.get("/formalism/?kind=evidence_late").context["page"]}
    assert kinds == {FlagKind.EVIDENCE_LATE}
    units = {f.unit_id for f in c.get(f"/formalism/?unit={w.tree.qiaotouhe.pk}").context["page"]}
    assert units == {w.tree.qiaotouhe.pk}
    late = flag(w, FlagKind.EVIDENCE_LATE, w.tree.lianyuan)
    services.flag_dismiss(actor=w.office, flag=late, reason="补传的是原件扫描件")
    assert late.pk not in {f.pk for f in c.get("/formalism/").context["page"]}  # 待核实 by default
    assert late.pk in {f.pk for f in c.get("/formalism/?state=dismissed").context["page"]}
    assert late.pk in {f.pk for f in c.get("/formalism/?state=all").context["page"]}


def test_flag_page_names_its_evidence_items_and_basis(scanned):
    w = scanned
    reused = flag(w, FlagKind.EVIDENCE_REUSED, w.tree.qiaotouhe)
    html = client(w.office).get(f"/formalism/{reused.pk}/").content.decode()
    assert reused.evidence["sha256"] in html
    assert f"/ledgers/items/{w.planted['reused_a'].pk}/" in html
    assert "弄虚作假、搞形式主义" in html  # the basis mark of 003 三.4
    assert "转为督查发现" in html and "排除" in html


def test_dismiss_needs_a_reason_and_keeps_who_and_why(scanned):
    w = scanned
    late = flag(w, FlagKind.EVIDENCE_LATE, w.tree.lianyuan)
    c = client(w.supervisor)
    page = c.post(f"/formalism/{late.pk}/dismiss/", {"reason": "  "})
    assert page.status_code == 200 and "请填写排除理由" in page.content.decode()
    assert c.post(f"/formalism/{late.pk}/dismiss/", {"reason": "补传的是原件扫描件"}).status_code == 302
    late.refresh_from_db()
    assert (late.state, late.reason, late.decided_by) == (FlagState.DISMISSED, "补传的是原件扫描件", w.supervisor)
    assert late.history.first().history_user == w.supervisor
    with pytest.raises(FormalismError):
        services.flag_dismiss(actor=w.office, flag=late, reason="再次排除")
    # a second clerk who had the page open is told why, on the flag's page
    again = client(w.office).post(f"/formalism/{late.pk}/dismiss/", {"reason": "再次排除"}, follow=True)
    assert again.redirect_chain == [(f"/formalism/{late.pk}/", 302)]
    assert "已排除" in again.content.decode()
    assert [m.level_tag for m in again.context["messages"]] == ["error"]


def test_finding_from_a_flag_in_one_step(scanned):
    w = scanned
    tiny = flag(w, FlagKind.EVIDENCE_TINY, w.tree.qiaotouhe)
    response = client(w.office).post(f"/formalism/{tiny.pk}/to-finding/",
                                     {"description": services.finding_text(tiny), "severity": "serious"})
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert response["Location"] == f"/supervision/findings/{finding.pk}/"
    assert (finding.unit, finding.item, finding.state, finding.severity, finding.recorded_by) == (
        w.tree.qiaotouhe, w.planted["tiny"], FindingState.AWAITING, "serious", w.office)
    assert "佐证材料过小" in finding.description and f"预警编号 {tiny.pk}" in finding.description
    tiny.refresh_from_db()
    assert (tiny.state, tiny.finding, tiny.decided_by) == (FlagState.FINDING, finding, w.office)
    with pytest.raises(FormalismError):
        services.flag_to_finding(actor=w.office, flag=tiny)
    # a later scan leaves the decision as it is
    services.formalism_scan(campaign=w.campaign)
    tiny.refresh_from_db()
    assert tiny.state == FlagState.FINDING


def test_finding_from_a_flag_out_of_scope_is_refused(scanned):
    w = scanned
    theirs = flag(w, FlagKind.EVIDENCE_REUSED, w.tree.leping)
    assert client(w.office).post(f"/formalism/{theirs.pk}/to-finding/", {"description": "x",
                                                                          "severity": "general"}).status_code == 404
    assert not Finding.objects.exists()


def test_a_reused_file_s_page_shows_other_units_only_as_far_as_the_reader_may_read_them(w, make_user):
    # given the one photo named differently at 桥头河镇 (under 涟源市) and at 乐坪街道 (under 娄星区)
    from huitoukan.access.models import Role
    from huitoukan.ledgers.models import Evidence

    p = w.planted
    ours = Evidence.objects.get(item=p["reused_a"])
    theirs = Evidence.objects.get(item=p["reused_b"])
    Evidence.objects.filter(pk=ours.pk).update(original_name="桥头河镇整改照片.jpg")
    Evidence.objects.filter(pk=theirs.pk).update(original_name="乐坪街道内部照片.jpg")
    services.formalism_scan(campaign=w.campaign)
    qiaotouhe, leping = flag(w, FlagKind.EVIDENCE_REUSED, w.tree.qiaotouhe), flag(w, FlagKind.EVIDENCE_REUSED,
                                                                                   w.tree.leping)
    # then 涟源市's office reads its own file by name, and of the other unit only that there is one
    html = client(w.office).get(f"/formalism/{qiaotouhe.pk}/").content.decode()
    assert "桥头河镇整改照片.jpg" in html and f"佐证材料编号 {ours.pk}" in html
    assert "另一单位的事项（无权查看）" in html
    assert "乐坪街道" not in html and "乐坪街道内部照片" not in html and f"编号 {theirs.pk}" not in html
    assert f"/ledgers/items/{p['reused_b'].pk}/" not in html and "evidence=" not in html
    # and 娄星区's office the other way round, in the sentence of the list too
    outsider = client(w.outsider)
    html = outsider.get(f"/formalism/{leping.pk}/").content.decode()
    assert "乐坪街道内部照片.jpg" in html and "另一单位的事项（无权查看）" in html
    assert "桥头河镇" not in html and f"编号 {ours.pk}" not in html
    assert "桥头河镇整改照片" not in outsider.get("/formalism/").content.decode()
    # the city's office may read both units' work: it reads the other unit's name (never its file's)
    html = client(make_user(Role.CAMPAIGN_OFFICE, w.tree.city)).get(f"/formalism/{qiaotouhe.pk}/").content.decode()
    assert "娄底市/娄星区/乐坪街道：1个事项" in html and "无权查看" not in html
    assert "乐坪街道内部照片" not in html


def test_a_text_alike_flag_names_the_other_units_the_reader_may_read(scanned, make_user):
    from huitoukan.access.models import Role

    w = scanned
    ring = flag(w, FlagKind.TEXT_ALIKE, w.tree.qiaotouhe)  # alike at 乐坪街道 and 市教育局 too
    html = client(w.office).get(f"/formalism/{ring.pk}/").content.decode()
    assert html.count("另一单位的事项（无权查看）") == 2
    assert "乐坪街道" not in html and "市教育局" not in html
    html = client(make_user(Role.CAMPAIGN_OFFICE, w.tree.city)).get(f"/formalism/{ring.pk}/").content.decode()
    assert "雷同单位" in html and "无权查看" not in html
    assert "娄底市/娄星区/乐坪街道：1个事项" in html and "娄底市/市教育局：1个事项" in html


def test_the_evidence_of_a_flag_reads_in_words_and_local_time(scanned):
    """What a check kept (moments in UTC, a file as its keys, a share, the days' counts) reads on the page as the
    sentences say it: 核验销号时间 and 上传于 in Asia/Shanghai to the minute, a file by its name and number."""
    import datetime as dt

    from django.utils import timezone

    def local(text):
        return f"{timezone.localtime(dt.datetime.fromisoformat(text)):%Y-%m-%d %H:%M}"

    w = scanned

    def page(flag):  # read by the office over its unit (涟源市's, or 娄星区's)
        reader = w.outsider if flag.unit.path.startswith(w.tree.louxing.path) else w.office
        response = client(reader).get(f"/formalism/{flag.pk}/")
        assert response.status_code == 200
        return response.content.decode()

    late = Flag.objects.get(campaign=w.campaign, kind=FlagKind.EVIDENCE_LATE)
    html = page(late)
    assert local(late.evidence["verified_at"]) in html
    for f in late.evidence["files"]:
        assert f"上传于{local(f['uploaded_at'])}" in html and f"{f['name']}（佐证材料编号 {f['evidence']}" in html
    tiny = Flag.objects.get(campaign=w.campaign, kind=FlagKind.EVIDENCE_TINY)
    html = page(tiny)
    assert f"{tiny.evidence['fraction']:.0%}" in html and "中位数" in html
    day = Flag.objects.get(campaign=w.campaign, kind=FlagKind.DEADLINE_DAY)
    html = page(day)
    assert "、".join(f"{d} {n}个" for d, n in day.evidence["days"].items()) in html
    rush = Flag.objects.filter(campaign=w.campaign, kind=FlagKind.PROGRESS_RUSH).first()
    html = page(rush)
    assert local(rush.evidence["from"]) in html and local(rush.evidence["to"]) in html
    for flag in (late, tiny, day, rush):
        html = page(flag)
        assert "+00:00" not in html and "evidence=" not in html and "{&#x27;" not in html, flag.kind
