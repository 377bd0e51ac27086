"""Route × role rows of 群众意见 (merged into tests/test_route_table.py).

Each side's county (涟源市 / 娄星区) has a public page (its 领导班子 list published) and one opinion 待办理 sent
to it through the public form, with contact details (`opinion`, its query code `opinion_code`). 涟源市's office
handles it (答复, 转办 to the side's township, 列入 the county's ledger, 移交纪检); the discipline role reads it
and its contact but may not act (403); every other role answers 404, as for an absent opinion. The public form
and the query page answer everybody, logged in or not.
"""

from __future__ import annotations

from captcha.models import CaptchaStore

from huitoukan.access.models import Role
from huitoukan.publicity import public_selectors
from huitoukan.publicity import services as publication_services
from huitoukan.publicity.contact import Contact
from huitoukan.publicity.models import Opinion, OpinionState, PublicationKind
from huitoukan.publicity.opinion_services import opinion_submit
from tests.conftest import user_create
from tests.route_types import ALL_ROLES, SIDE_BUILDERS, Route

OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
READERS = frozenset({Role.CAMPAIGN_OFFICE, Role.DISCIPLINE})
PUBLIC_SUBJECT = "村口路灯长期不亮"


def publish_ledger(actor, ledger, items) -> None:
    """Put the ledger's list on the public site with `items` chosen, as an office does."""
    publication = publication_services.publication_create(actor=actor, kind=PublicationKind.LEDGER, ledger=ledger)
    publication_services.publication_choose(actor=actor, publication=publication, item_ids=[i.pk for i in items],
                                            title=publication.title)
    built = publication_services.publication_preview(actor=actor, publication=publication)
    publication_services.publication_publish(actor=actor, publication=publication, digest=built.digest)


def _build(inn, out, users, tree):
    office_out = user_create(Role.CAMPAIGN_OFFICE, out.county, username="opinion_office_out")
    for side, office in ((inn, users[Role.CAMPAIGN_OFFICE]), (out, office_out)):
        if not public_selectors.unit_is_public(side.county):
            publish_ledger(office, side.ledger, [side.item])
        submitted = opinion_submit(unit=side.county, kind="report", subject="会议室超标装修",
                                   content="镇政府会议室装修豪华，请核查。", anonymous=False,
                                   contact=Contact(name="刘建国", means="13907381234"))
        side.opinion, side.opinion_code = submitted.opinion, submitted.code


SIDE_BUILDERS.append(_build)


def _captcha() -> dict:
    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def _public_body(s) -> dict:
    return {"kind": "opinion", "subject": PUBLIC_SUBJECT, "content": "石狮村村口路灯坏了三个月。",
            "anonymous": "on", "contact_name": "", "contact_means": "", **_captcha()}


def _filed(s, response) -> bool:
    return Opinion.objects.filter(subject=PUBLIC_SUBJECT, unit=s.county).exists() and "查询码" in response.content.decode()


def _found(s, response) -> bool:
    return s.opinion.number in response.content.decode()


def _state(state: str):
    return lambda s, response: Opinion.objects.get(pk=s.opinion.pk).state == state


def _rerouted(s, response) -> bool:
    return Opinion.objects.get(pk=s.opinion.pk).unit_id == s.unit.pk


def _in_ledger(s, response) -> bool:
    return Opinion.objects.get(pk=s.opinion.pk).ledger_item_id is not None


def _revealed(s, response) -> bool:
    return "13907381234" in response.content.decode()


def _path(pattern: str):
    return lambda s, p=pattern: "/publicity/opinions/" + p.format(s=s)


ROUTES: dict = {
    # --- the public's ---
    ("public-opinion-new", "GET"): Route(lambda s: f"/gongkai/u/{s.county.pk}/yijian/?item={s.item.pk}",
                                         frozenset(ALL_ROLES), public=True, out=False),
    ("public-opinion-new", "POST"): Route(lambda s: f"/gongkai/u/{s.county.pk}/yijian/", frozenset(ALL_ROLES),
                                          public=True, out=False, body=_public_body, done=_filed),
    ("public-opinion-lookup", "GET"): Route(lambda s: "/gongkai/chaxun/", frozenset(ALL_ROLES), public=True, out=False),
    ("public-opinion-lookup", "POST"): Route(lambda s: "/gongkai/chaxun/", frozenset(ALL_ROLES), public=True,
                                             out=False, body=lambda s: {"code": s.opinion_code}, done=_found),
    # --- the office's ---
    ("opinion-list", "GET"): Route(lambda s: "/publicity/opinions/", READERS, out=False),
    ("opinion-detail", "GET"): Route(_path("{s.opinion.pk}/"), READERS),
    # Reading the contact is reading the opinion: its office and the discipline staff, each reveal logged.
    ("opinion-contact", "POST"): Route(_path("{s.opinion.pk}/contact/"), READERS, done=_revealed),
    ("opinion-answer", "POST"): Route(_path("{s.opinion.pk}/answer/"), OFFICE, readers=READERS, ok_status=302,
                                      body=lambda s: {"answer": "已责成镇纪委核查，结果将公开。"},
                                      done=_state(OpinionState.ANSWERED)),
    ("opinion-reroute", "POST"): Route(_path("{s.opinion.pk}/reroute/"), OFFICE, readers=READERS, ok_status=302,
                                       body=lambda s: {"to_unit": s.unit.pk, "reason": "属镇级职责"}, done=_rerouted),
    ("opinion-ledger", "POST"): Route(_path("{s.opinion.pk}/ledger/"), OFFICE, readers=READERS, ok_status=302,
                                      body=lambda s: {"ledger": s.ledger.pk, "problem": "会议室超标装修问题"},
                                      done=_in_ledger),
    ("opinion-refer", "POST"): Route(_path("{s.opinion.pk}/refer/"), OFFICE, readers=READERS, ok_status=302,
                                     body=lambda s: {"note": "涉及违反中央八项规定精神"},
                                     done=_state(OpinionState.REFERRED)),
}
