"""群众意见 and 举报: filed on the public site with a captcha, followed with the query code, routed, answered,
re-routed, put into a ledger, referred to discipline; who may do what; the reminders and the kept counts.

The world: 娄底市 > 涟源市 > 桥头河镇 with 涟源市's 领导班子 list published (so 涟源市 has a public page, and
桥头河镇, with nothing published at or below it, has none); the logins of 涟源市's office, discipline staff,
head and filler, 娄底市's discipline staff, 桥头河镇's office, and 娄星区's office (outside).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from captcha.models import CaptchaStore
from django.test import Client
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.services import PhaseSpec
from huitoukan.jobs.services import job_run
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Item, Source
from huitoukan.notifications.models import Notification
from huitoukan.orgs import totals as unit_totals
from huitoukan.publicity import opinion_reminders, opinion_selectors, opinion_services
from huitoukan.publicity.contact import Contact
from huitoukan.publicity.models import Opinion, OpinionRouting, OpinionState
from huitoukan.publicity.opinion_panels import register_panels
from huitoukan.publicity.opinion_workflow import OpinionError
from tests.conftest import Tree, built_once, user_create
from tests.publicity.routes_opinions import publish_ledger

FORM = "/gongkai/u/{pk}/yijian/"
LOOKUP = "/gongkai/chaxun/"


@dataclass
class World:
    tree: Tree
    ledger: object
    item: object  # on the published list
    hidden_item: object  # in the same ledger, not published
    office: object
    discipline: object
    city_discipline: object
    head: object
    filler: object
    township_office: object
    outsider: object


def build_world() -> World:
    tree = Tree()
    office = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="op_office")
    campaign = campaign_services.campaign_create(
        actor=None, owner_unit=tree.lianyuan, name="涟源市回头看", starts_on=dt.date(2014, 12, 31),
        ends_on=dt.date(2015, 2, 28), phases=[PhaseSpec("自查自纠", dt.date(2014, 12, 31), dt.date(2015, 1, 6))],
        deadlines=[])
    ledger = ledger_services.ledger_open(actor=None, campaign=campaign, unit=tree.lianyuan, kind=LedgerKind.LEADERSHIP)
    item = ledger_services.item_create(actor=None, ledger=ledger, problem="文山会海问题突出", measures="压缩会议")
    hidden = ledger_services.item_create(actor=None, ledger=ledger, problem="内部问题", measures="内部整改")
    publish_ledger(office, ledger, [item])
    register_panels()
    return World(
        tree=tree, ledger=ledger, item=item, hidden_item=hidden, office=office,
        discipline=user_create(Role.DISCIPLINE, tree.lianyuan, username="op_discipline"),
        city_discipline=user_create(Role.DISCIPLINE, tree.city, username="op_city_discipline"),
        head=user_create(Role.UNIT_HEAD, tree.lianyuan, username="op_head"),
        filler=user_create(Role.UNIT_FILLER, tree.lianyuan, username="op_filler"),
        township_office=user_create(Role.CAMPAIGN_OFFICE, tree.qiaotouhe, username="op_township_office"),
        outsider=user_create(Role.CAMPAIGN_OFFICE, tree.louxing, username="op_outsider"),
    )


@pytest.fixture(scope="module")
def opinion_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(opinion_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_POSTS_PER_WINDOW = 5
    settings.PUBLIC_POST_WINDOW_SECONDS = 10 ** 9  # one window for the whole test: never split at a boundary
    return opinion_world


def captcha(solved: bool = True) -> dict:
    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    return {"captcha_0": key, "captcha_1": answer if solved else answer + "x"}


def form_data(**overrides) -> dict:
    data = {"kind": "report", "subject": "镇政府公车私用", "content": "周末常见公车停在饭店门口。",
            "anonymous": "on", "contact_name": "", "contact_means": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None} | captcha()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(w, unit=None, **kwargs) -> opinion_services.Submitted:
    fields = {"kind": "opinion", "subject": "办事窗口排长队", "content": "建议增加窗口。"} | kwargs
    return opinion_services.opinion_submit(unit=unit or w.tree.lianyuan, **fields)


# --- the whole loop ---------------------------------------------------------------------------------------------


def test_a_report_filed_with_the_captcha_is_answered_put_into_a_ledger_and_read_back_with_the_code_alone(w):
    # given a member of the public on 涟源市's form, opened from a published item
    public = Client()
    page = public.get(FORM.format(pk=w.tree.lianyuan.pk) + f"?item={w.item.pk}")
    assert page.status_code == 200 and "验证码" in page.content.decode()

    # when they file a report with the captcha solved
    response = public.post(FORM.format(pk=w.tree.lianyuan.pk) + f"?item={w.item.pk}",
                           form_data(anonymous="", contact_name="王秀英", contact_means="13873800001"))

    # then they get its number and a query code, shown once, with the advice to keep it
    assert response.status_code == 200
    body = response.content.decode()
    code = response.context["code"]
    opinion = Opinion.objects.get(number=response.context["opinion"].number)
    assert code in body and opinion.number in body and "请妥善保存查询码" in body
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    # and the opinion is routed to the unit, about the item, due in OPINION_ANSWER_DAYS, kept without the code
    assert (opinion.unit, opinion.submitted_unit, opinion.about_item) == (w.tree.lianyuan, w.tree.lianyuan, w.item)
    assert opinion.number.startswith("JB") and opinion.state == OpinionState.RECEIVED
    assert opinion.answer_due_on == timezone.localdate() + dt.timedelta(days=15)
    assert code not in opinion.query_digest and len(opinion.query_digest) == 64
    # and the unit's office is told, not the discipline staff nor the head
    notified = set(Notification.objects.filter(key=f"opinion:{opinion.pk}:received").values_list(
        "recipient__username", flat=True))
    assert notified == {"op_office"}

    # when the office answers it and puts it into its ledger, the problem as it wrote it
    office = logged_in(w.office)
    assert office.post(f"/publicity/opinions/{opinion.pk}/answer/", {"answer": "已责成有关部门核查并整改。"}).status_code == 302
    assert office.post(f"/publicity/opinions/{opinion.pk}/ledger/",
                       {"ledger": w.ledger.pk, "problem": "公车私用问题"}).status_code == 302

    # then the item exists with source 群众意见, and each side links the other
    opinion.refresh_from_db()
    item = Item.objects.get(pk=opinion.ledger_item_id)
    assert (item.problem, item.source, item.ledger_id) == ("公车私用问题", Source.PUBLIC_OPINION, w.ledger.pk)
    assert opinion.number in office.get(f"/ledgers/items/{item.pk}/").content.decode()
    assert f"/ledgers/items/{item.pk}/" in office.get(f"/publicity/opinions/{opinion.pk}/").content.decode()

    # and the sender, with the code alone (typed in lower case, without its dashes), reads the answer
    result = Client().post(LOOKUP, {"code": code.replace("-", "").lower()})
    text = result.content.decode()
    assert result.status_code == 200
    for shown in (opinion.number, "举报", "镇政府公车私用", "已答复", "已责成有关部门核查并整改。", "已列入整改台账"):
        assert shown in text
    # never the contact, nor the office's own wording of the item, nor the code itself written back
    for hidden in ("王秀英", "13873800001", "公车私用问题", code, code.replace("-", "").lower()):
        assert hidden not in text


def test_the_item_page_shows_its_opinions_only_to_readers_of_opinions(w):
    # given an opinion put into the ledger
    opinion = submit(w).opinion
    item = opinion_services.opinion_to_ledger(actor=w.office, opinion=opinion, ledger=w.ledger, problem="窗口排队")

    # then the office and discipline staff see it on the item page; the head, who reads the item, does not
    assert opinion.number in logged_in(w.discipline).get(f"/ledgers/items/{item.pk}/").content.decode()
    page = logged_in(w.head).get(f"/ledgers/items/{item.pk}/")
    assert page.status_code == 200 and opinion.number not in page.content.decode()


def test_a_wrong_code_reads_like_no_result(w):
    submit(w)
    wrong = Client().post(LOOKUP, {"code": "AAAA-BBBB-CCCC-DDDD"})
    short = Client().post(LOOKUP, {"code": "123"})
    for response in (wrong, short):
        assert response.status_code == 200
        assert "未查到对应的意见或举报" in response.content.decode()
        assert response.context["result"] is None


def test_the_lookup_reads_the_code_from_the_post_only(w):
    code = submit(w).code
    page = Client().get(LOOKUP + f"?code={code}")
    assert page.status_code == 200 and page.context["result"] is None


def test_referred_opinions_read_referred_to_the_sender(w):
    submitted = submit(w, kind="report")
    opinion_services.opinion_refer(actor=w.office, opinion=submitted.opinion, note="涉嫌违纪")
    text = Client().post(LOOKUP, {"code": submitted.code}).content.decode()
    assert "已移交纪检监察机关处理" in text and "涉嫌违纪" not in text


# --- the public form's rules ----------------------------------------------------------------------------------


def test_a_unit_without_a_public_page_has_no_form(w):
    for pk in (w.tree.qiaotouhe.pk, 999999, 2 ** 70):
        assert Client().get(FORM.format(pk=pk)).status_code == 404
    with pytest.raises(OpinionError):
        submit(w, unit=w.tree.qiaotouhe)


def test_an_item_not_on_the_published_list_is_ignored(w):
    response = Client().post(FORM.format(pk=w.tree.lianyuan.pk) + f"?item={w.hidden_item.pk}", form_data())
    assert response.status_code == 200
    opinion = Opinion.objects.get(number=response.context["opinion"].number)
    assert opinion.about_item is None
    assert "内部问题" not in Client().get(FORM.format(pk=w.tree.lianyuan.pk) + f"?item={w.hidden_item.pk}").content.decode()


def test_a_wrong_captcha_files_nothing(w):
    data = form_data() | captcha(solved=False)
    response = Client().post(FORM.format(pk=w.tree.lianyuan.pk), data)
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not Opinion.objects.exists()


def test_an_anonymous_sender_leaves_no_name(w):
    response = Client().post(FORM.format(pk=w.tree.lianyuan.pk), form_data(contact_name="王秀英"))
    assert "选择匿名提交时不填写联系人" in response.content.decode()
    assert not Opinion.objects.exists()
    # the service drops a name sent with an anonymous opinion, keeping the phone to call back on
    opinion = submit(w, anonymous=True, contact=Contact(name="王秀英", means="13873800002")).opinion
    assert opinion_services.opinion_contact_reveal(actor=w.office, opinion=opinion) == Contact(means="13873800002")


def test_numbers_follow_each_other_per_kind_and_day(w):
    day = dt.date(2026, 12, 1)
    numbers = [submit(w, kind=kind, today=day).opinion.number for kind in ("opinion", "opinion", "report")]
    assert numbers == ["YJ20261201-0001", "YJ20261201-0002", "JB20261201-0001"]


def test_numbers_go_on_past_ten_thousand_a_day(w):
    day = dt.date(2026, 12, 2)
    first = submit(w, today=day).opinion
    Opinion.objects.filter(pk=first.pk).update(number="YJ20261202-9999")  # the day's 9,999th
    assert [submit(w, today=day).opinion.number for _ in range(2)] == ["YJ20261202-10000", "YJ20261202-10001"]


def test_query_codes_are_long_random_and_kept_only_as_a_digest(w):
    codes = {submit(w).code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        raw = code.replace("-", "")
        assert len(raw) == 16 and set(raw) <= set(opinion_selectors.CODE_ALPHABET)
    stored = " ".join(str(v) for row in Opinion.objects.values_list() for v in row)
    assert not any(code in stored or code.replace("-", "") in stored for code in codes)


def test_the_lookup_is_rate_limited(w):
    client = Client()
    statuses = [client.post(LOOKUP, {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3


# --- the office's actions and their refusals --------------------------------------------------------------------


def test_the_office_reroutes_to_a_unit_it_covers_and_that_unit_is_told(w):
    # given an opinion sent to 涟源市 that is 桥头河镇's business
    opinion = submit(w).opinion

    # when 涟源市's office re-routes it with a reason
    response = logged_in(w.office).post(f"/publicity/opinions/{opinion.pk}/reroute/",
                                        {"to_unit": w.tree.qiaotouhe.pk, "reason": "属镇级事权"})

    # then 桥头河镇 handles it, the form's unit is kept, the routing is on record, its office is told
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.unit, opinion.submitted_unit) == (w.tree.qiaotouhe, w.tree.lianyuan)
    routing = OpinionRouting.objects.get(opinion=opinion)
    assert (routing.from_unit, routing.to_unit, routing.reason, routing.by) == (
        w.tree.lianyuan, w.tree.qiaotouhe, "属镇级事权", w.office)
    assert Notification.objects.filter(recipient=w.township_office, key=f"opinion:{opinion.pk}:routed:{routing.pk}")
    # and 桥头河镇's office may now answer it
    opinion_services.opinion_answer(actor=w.township_office, opinion=opinion, answer="已修复")
    assert "转办至桥头河镇" in " ".join(e.text for e in opinion_selectors.timeline(opinion))


def test_reroute_is_refused_outside_the_office_scope_to_itself_and_once_settled(w):
    opinion = submit(w).opinion
    with pytest.raises(OpinionError, match="管辖范围"):
        opinion_services.opinion_reroute(actor=w.office, opinion=opinion, to_unit=w.tree.louxing, reason="错")
    with pytest.raises(OpinionError, match="请选择其他单位"):
        opinion_services.opinion_reroute(actor=w.office, opinion=opinion, to_unit=w.tree.lianyuan, reason="错")
    with pytest.raises(OpinionError, match="转办理由"):
        opinion_services.opinion_reroute(actor=w.office, opinion=opinion, to_unit=w.tree.qiaotouhe, reason=" ")
    # the page's form lists no unit outside the scope either
    response = logged_in(w.office).post(f"/publicity/opinions/{opinion.pk}/reroute/",
                                        {"to_unit": w.tree.louxing.pk, "reason": "错"})
    assert response.status_code == 200 and Opinion.objects.get(pk=opinion.pk).unit == w.tree.lianyuan
    opinion_services.opinion_answer(actor=w.office, opinion=opinion, answer="已办")
    with pytest.raises(OpinionError, match="已答复"):
        opinion_services.opinion_reroute(actor=w.office, opinion=opinion, to_unit=w.tree.qiaotouhe, reason="错")
    in_ledger = submit(w).opinion
    opinion_services.opinion_to_ledger(actor=w.office, opinion=in_ledger, ledger=w.ledger, problem="排队")
    with pytest.raises(OpinionError, match="已列入台账"):
        opinion_services.opinion_reroute(actor=w.office, opinion=in_ledger, to_unit=w.tree.qiaotouhe, reason="错")


def test_an_opinion_goes_into_a_ledger_once_and_only_its_own_units(w):
    opinion = submit(w).opinion
    other_campaign = campaign_services.campaign_create(
        actor=None, owner_unit=w.tree.louxing, name="娄星区回头看", starts_on=dt.date(2014, 12, 31),
        ends_on=dt.date(2015, 2, 28), phases=[], deadlines=[])
    foreign = ledger_services.ledger_open(actor=None, campaign=other_campaign, unit=w.tree.louxing,
                                          kind=LedgerKind.LEADERSHIP)
    with pytest.raises(OpinionError, match="只能列入办理单位"):
        opinion_services.opinion_to_ledger(actor=w.office, opinion=opinion, ledger=foreign, problem="排队")
    opinion_services.opinion_to_ledger(actor=w.office, opinion=opinion, ledger=w.ledger, problem="排队")
    with pytest.raises(OpinionError, match="已列入台账"):
        opinion_services.opinion_to_ledger(actor=w.office, opinion=opinion, ledger=w.ledger, problem="排队")
    # an answered one may still go in; a referred one may not
    answered = submit(w).opinion
    opinion_services.opinion_answer(actor=w.office, opinion=answered, answer="已办")
    opinion_services.opinion_to_ledger(actor=w.office, opinion=answered, ledger=w.ledger, problem="排队2")
    referred = submit(w).opinion
    opinion_services.opinion_refer(actor=w.office, opinion=referred, note="违纪")
    with pytest.raises(OpinionError, match="已移交纪检"):
        opinion_services.opinion_to_ledger(actor=w.office, opinion=referred, ledger=w.ledger, problem="排队3")


def test_refer_notifies_discipline_at_the_unit_and_above_and_settles_it(w):
    opinion = submit(w, kind="report").opinion
    opinion_services.opinion_refer(actor=w.office, opinion=opinion, note="涉及领导干部")
    told = set(Notification.objects.filter(key=f"opinion:{opinion.pk}:referred").values_list(
        "recipient__username", flat=True))
    assert told == {"op_discipline", "op_city_discipline"}
    opinion.refresh_from_db()
    assert (opinion.state, opinion.referred_by, opinion.referral_note) == (OpinionState.REFERRED, w.office, "涉及领导干部")
    with pytest.raises(OpinionError, match="已移交纪检"):
        opinion_services.opinion_answer(actor=w.office, opinion=opinion, answer="已办")


def test_an_answer_is_given_once_and_never_empty(w):
    opinion = submit(w).opinion
    with pytest.raises(OpinionError, match="答复内容"):
        opinion_services.opinion_answer(actor=w.office, opinion=opinion, answer="  ")
    opinion_services.opinion_answer(actor=w.office, opinion=opinion, answer="已办")
    with pytest.raises(OpinionError, match="已答复"):
        opinion_services.opinion_answer(actor=w.office, opinion=opinion, answer="再答")
    assert opinion.history.first().history_user == w.office


@pytest.mark.parametrize("action, data", [
    ("answer", {"answer": "已办"}), ("refer", {"note": "违纪"}), ("reroute", {"to_unit": 0, "reason": "错"}),
    ("ledger", {"ledger": 0, "problem": "排队"}),
])
def test_a_reader_without_the_right_gets_403_and_anybody_else_404(w, action, data):
    opinion = submit(w).opinion
    url = f"/publicity/opinions/{opinion.pk}/{action}/"
    # the discipline staff read it but do not handle it; the head and filler read ledgers, not opinions;
    # the township's office is below the unit; 娄星区's office is outside
    assert logged_in(w.discipline).post(url, data).status_code == 403
    for user in (w.head, w.filler, w.township_office, w.outsider):
        assert logged_in(user).post(url, data).status_code == 404
        assert logged_in(user).get(f"/publicity/opinions/{opinion.pk}/").status_code == 404
    assert Opinion.objects.get(pk=opinion.pk).state == OpinionState.RECEIVED
    with pytest.raises(Exception) as refused:
        getattr(opinion_services, {"ledger": "opinion_to_ledger"}.get(action, f"opinion_{action}"))(
            actor=w.discipline, opinion=opinion,
            **{"answer": {"answer": "x"}, "refer": {"note": "x"}, "reroute": {"to_unit": w.tree.qiaotouhe, "reason": "x"},
               "ledger": {"ledger": w.ledger, "problem": "x"}}[action])
    assert type(refused.value).__name__ == "Forbidden"


def test_the_list_is_scoped_and_filtered(w):
    late = submit(w, subject="逾期的意见", today=timezone.localdate() - dt.timedelta(days=30)).opinion
    fresh = submit(w, kind="report", subject="新的举报").opinion
    opinion_services.opinion_reroute(actor=w.office, opinion=submit(w, subject="镇里的意见").opinion,
                                     to_unit=w.tree.qiaotouhe, reason="镇级")
    office = logged_in(w.office)
    assert {o.subject for o, *_ in office.get("/publicity/opinions/").context["rows"]} == {
        "逾期的意见", "新的举报", "镇里的意见"}
    overdue = office.get("/publicity/opinions/?overdue=1")
    assert [o.pk for o, *_ in overdue.context["rows"]] == [late.pk]
    assert [light for *_, light, _l in overdue.context["rows"]] == ["red"]
    assert [o.pk for o, *_ in office.get("/publicity/opinions/?kind=report").context["rows"]] == [fresh.pk]
    assert {o.subject for o, *_ in logged_in(w.township_office).get("/publicity/opinions/").context["rows"]} == {
        "镇里的意见"}
    assert logged_in(w.head).get("/publicity/opinions/").status_code == 404
    assert logged_in(w.outsider).get("/publicity/opinions/").context["rows"] == []


# --- reminders and kept counts ----------------------------------------------------------------------------------


def test_reminders_tell_the_office_three_days_before_and_the_head_once_overdue_each_once(w):
    today = timezone.localdate()
    due_in_3 = submit(w, subject="三天后到期", today=today + dt.timedelta(days=3) - dt.timedelta(days=15)).opinion
    due_in_5 = submit(w, subject="五天后到期", today=today + dt.timedelta(days=5) - dt.timedelta(days=15)).opinion
    overdue = submit(w, kind="report", subject="书记违规吃喝", today=today - dt.timedelta(days=16)).opinion
    answered = submit(w, subject="已答复的", today=today - dt.timedelta(days=16)).opinion
    opinion_services.opinion_answer(actor=w.office, opinion=answered, answer="已办")

    job = job_run(opinion_reminders.reminders_start(today=today, queue=False).pk)

    assert job.state == "done"
    soon = Notification.objects.filter(key__startswith=f"opinion:{due_in_3.pk}:due-soon")
    assert list(soon.values_list("recipient__username", flat=True)) == ["op_office"]
    late = Notification.objects.get(key__startswith=f"opinion:{overdue.pk}:overdue")
    assert late.recipient == w.head and "书记违规吃喝" not in late.title + late.body
    assert not Notification.objects.filter(key__startswith=f"opinion:{due_in_5.pk}:").exclude(key__endswith=":received")
    assert not Notification.objects.filter(key__startswith=f"opinion:{answered.pk}:overdue")
    # a second run, that day or the next, sends nothing new
    before = Notification.objects.count()
    opinion_reminders.reminders_run_now(today=today)
    opinion_reminders.reminders_run_now(today=today + dt.timedelta(days=1))
    assert Notification.objects.count() == before


def test_kept_counts_follow_every_change_and_agree_with_a_recount(w):
    a, b, c, d = (submit(w).opinion for _ in range(4))
    opinion_services.opinion_answer(actor=w.office, opinion=a, answer="已办")
    opinion_services.opinion_refer(actor=w.office, opinion=b, note="违纪")
    opinion_services.opinion_reroute(actor=w.office, opinion=c, to_unit=w.tree.qiaotouhe, reason="镇级")
    opinion_services.opinion_to_ledger(actor=w.office, opinion=d, ledger=w.ledger, problem="排队")

    kept = unit_totals.work_kept(opinion_selectors.OPINION_TOPIC)
    assert +kept == +opinion_selectors.opinions_recount()
    counts = unit_totals.work_counts([w.tree.lianyuan, w.tree.qiaotouhe, w.tree.city],
                                     topic=opinion_selectors.OPINION_TOPIC)
    assert dict(+counts[w.tree.lianyuan.pk]) == {"received": 2, "answered": 1, "referred": 1}
    assert dict(+counts[w.tree.qiaotouhe.pk]) == {"received": 1}
    assert counts[w.tree.city.pk] == counts[w.tree.lianyuan.pk]


def test_every_write_keeps_history_with_its_actor(w):
    answered, rerouted, in_ledger, referred = (submit(w).opinion for _ in range(4))
    opinion_services.opinion_answer(actor=w.office, opinion=answered, answer="已办")
    opinion_services.opinion_reroute(actor=w.office, opinion=rerouted, to_unit=w.tree.qiaotouhe, reason="镇级")
    opinion_services.opinion_to_ledger(actor=w.office, opinion=in_ledger, ledger=w.ledger, problem="排队")
    opinion_services.opinion_refer(actor=w.office, opinion=referred, note="违纪")
    for opinion, reason in ((answered, "答复"), (rerouted, "转办至桥头河镇：镇级"), (in_ledger, "列入台账"),
                            (referred, "移交纪检监察机关")):
        first, last = opinion.history.order_by("history_id")
        assert (first.history_user, first.history_change_reason) == (None, "群众提交意见建议")
        assert last.history_user == w.office and last.history_change_reason.startswith(reason)
        # the ciphertext is never copied into the history
        assert not hasattr(last, "contact_ciphertext")


def test_the_list_reads_in_a_fixed_number_of_queries(w, django_assert_max_num_queries):
    for n in range(30):
        submit(w, subject=f"意见{n}")
    office = logged_in(w.office)
    office.get("/publicity/opinions/")  # the session and the menu's first reads
    with django_assert_max_num_queries(12):
        response = office.get("/publicity/opinions/")
    assert len(response.context["rows"]) == 30


def test_a_number_taken_meanwhile_is_retried_with_the_next(w, monkeypatch):
    # given a number another submission took between reading the last number and writing (PostgreSQL's race)
    day = dt.date(2026, 12, 1)
    submit(w, today=day)
    real, calls = opinion_services._next_serial, []

    def stale_then_real(prefix):
        calls.append(prefix)
        return 1 if len(calls) == 1 else real(prefix)

    monkeypatch.setattr(opinion_services, "_next_serial", stale_then_real)

    # when the next submission first tries the taken number, then it takes the next one
    assert submit(w, today=day).opinion.number == "YJ20261201-0002"
    assert len(calls) == 2


def test_the_form_names_its_item_as_published_never_as_it_stands_now(w):
    # given the published item changed since (a name written into it), not published again
    ledger_services.item_update(actor=w.office, item=w.item, problem="文山会海问题突出，群众张秀兰反映")

    page = Client().get(FORM.format(pk=w.tree.lianyuan.pk) + f"?item={w.item.pk}").content.decode()

    # then the form shows the published row, not the live item
    assert "文山会海问题突出" in page and "张秀兰" not in page


def test_an_opinion_to_a_unit_without_an_office_reaches_the_nearest_office_above(w):
    # given 石狮村, whose list 桥头河镇's office published, with no office of its own
    ledger = ledger_services.ledger_open(actor=None, campaign=w.ledger.campaign, unit=w.tree.shishi,
                                         kind=LedgerKind.LEADERSHIP)
    publish_ledger(w.township_office, ledger, [ledger_services.item_create(actor=None, ledger=ledger,
                                                                           problem="村务公开不及时")])
    # when the public writes to 石狮村
    opinion = submit(w, unit=w.tree.shishi).opinion
    # then 桥头河镇's office is told (its reminders go the same way: opinion_selectors.nearest_logins)
    told = set(Notification.objects.filter(key=f"opinion:{opinion.pk}:received").values_list(
        "recipient__username", flat=True))
    assert told == {"op_township_office"}


def test_a_wrong_code_stays_in_the_box_to_be_mended(w):
    page = Client().post("/gongkai/chaxun/", {"code": "ABCD-EFGH-JKMN-PQRS"}).content.decode()
    assert 'value="ABCD-EFGH-JKMN-PQRS"' in page
