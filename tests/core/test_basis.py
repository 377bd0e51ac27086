"""The 依据 marks: every key a template names is defined, every clause quotes its seed word for word, the tag
shows the document and clause (escaped), and the office pages carry the marks beside their rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from huitoukan.core.basis import CLAUSES, SOURCES, Clause
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import FourWinds
from tests.ledgers.conftest import lw_build
from tests.notices.conftest import build_world, issue

TEMPLATES = Path(__file__).resolve().parents[2] / "huitoukan" / "templates"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
BASIS_TAG = re.compile(r"\{%\s*basis\b(.*?)%\}")
LITERAL = re.compile(r"""\s*(["'])([^"']+)\1\s*$""")


def _templates_using_basis():
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if BASIS_TAG.search(text):
            yield path, text


def _seed_text(number: str) -> str:
    found = sorted(SEEDS.glob(f"{number}_*.txt"))
    if not found:
        pytest.skip("../shared/seeds is not beside this checkout")
    return re.sub(r"\s+", "", found[0].read_text(encoding="utf-8"))


def _mark(key: str) -> str:
    return f'data-basis="{key}"'


# --- the registry and the templates ----------------------------------------------------------------------


def test_every_key_a_template_names_is_defined_and_every_template_using_the_tag_loads_it():
    # Given every template that places a 依据 mark
    used, problems = set(), []
    for path, text in _templates_using_basis():
        name = path.relative_to(TEMPLATES)
        if not re.search(r"\{%\s*load\s[^%]*\bbasis\b", text):
            problems.append(f"{name}: uses {{% basis %}} without {{% load basis %}}")
        for argument in BASIS_TAG.findall(text):
            literal = LITERAL.match(argument)
            if literal is None:
                # A key given at render time ({% basis s.basis %}) comes from the code of the page's app, which
                # names it there (accountability's suggestions and pass rules): the tag raises on an unknown one.
                continue
            key = literal.group(2)
            used.add(key)
            if key not in CLAUSES:
                problems.append(f"{name}: no clause {key!r} in huitoukan.core.basis.CLAUSES")
    # Then each key named in a template is defined, and the pages of several apps use them
    assert problems == []
    assert {"ledger.closing", "ledger.send_back", "notices.issue", "supervision.covert",
            "passing.satisfaction", "publicity.plan", "review.report_up"} <= used


def test_every_template_placing_a_mark_compiles():
    # A mark in the wrong place ({% basis %} without its load, a typo in a block) fails here, not on a page.
    for path, _text in _templates_using_basis():
        get_template(str(path.relative_to(TEMPLATES)))


def test_every_clause_names_a_known_document_and_quotes_its_seed_word_for_word():
    # Given the seeds' text with whitespace removed (the documents break lines and indent freely)
    missing = []
    for key, c in CLAUSES.items():
        assert c.source in SOURCES, key
        assert c.place and c.words, key
        seed = _seed_text(c.source)
        # When the clause's words are split where they were shortened (…)
        for fragment in c.words.split("…"):
            fragment = re.sub(r"\s+", "", fragment)
            # Then each fragment is the document's own text
            if fragment and fragment not in seed:
                missing.append(f"{key} ({c.source} {c.place}): {fragment}")
    assert missing == []


def test_the_words_check_would_catch_a_misquotation():
    seed = _seed_text("001")
    assert "责成“回炉”、“补课”，限期整改到位" in seed
    assert "责成“回炉”，限期整改到位" not in seed


# --- the tag ------------------------------------------------------------------------------------------


def _render(key: str) -> str:
    return Template('{% load basis %}{% basis key %}').render(Context({"key": key}))


def test_the_mark_names_the_document_the_clause_and_its_words():
    html = _render("ledger.send_back")
    c = CLAUSES["ledger.send_back"]
    assert "依据</summary>" in html
    assert f'title="{c.text}"' in html  # hovered on a desktop
    assert "娄群办通〔2015〕1号" in html and "三.3" in html  # the document as it numbers itself
    assert "责成“回炉”、“补课”，限期整改到位" in html  # opened by a tap on a phone
    assert 'aria-label="依据：娄群办通〔2015〕1号 三.3"' in html


def test_the_mark_escapes_what_it_shows(monkeypatch):
    monkeypatch.setitem(CLAUSES, "test.hostile", Clause("001", '三.3"><b>', "<script>alert(1)</script>"))
    html = _render("test.hostile")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_unknown_key_is_an_error_not_a_silent_blank():
    with pytest.raises(KeyError):
        _render("no.such.rule")


def test_each_ledger_kind_has_its_attachment_clause():
    for kind in LedgerKind:
        html = get_template("ledgers/_basis_kind.html").render({"kind": kind.value})
        assert _mark(f"ledger.{kind.value}") in html, kind


# --- the pages ----------------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_ledger_and_its_item_show_the_marks_of_their_rules(tree, make_user):
    # Given 涟源市's 领导班子 ledger with one item, seen by its campaign office
    lw = lw_build(tree, make_user)
    item = ledger_services.item_create(
        actor=lw.office, ledger=lw.ledger, problem="文山会海问题突出", measures="精简会议文件",
        four_winds=FourWinds.FORMALISM, lead_leaders=[lw.leader_person], responsible_units=[tree.qiaotouhe])
    office = _client(lw.office)
    # When the office opens the ledger
    sheet = office.get(reverse("ledger-detail", args=[lw.ledger.pk]))
    assert sheet.status_code == 200
    page = sheet.content.decode()
    # Then the sheet names its attachment's 说明 and the 逐级审阅 rule, once each
    assert page.count(_mark("ledger.leadership")) == 1
    assert page.count(_mark("ledger.summary")) == 1
    # And the item page marks its classification and the lead leader's report
    detail = office.get(reverse("item-detail", args=[item.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert _mark("item.classification") in page
    assert _mark("ledger.progress") in page


def test_the_notice_page_shows_the_basis_of_the_notice(db):
    # Given a 督办通知单 issued by 娄底市's office to 涟源市
    w = build_world()
    notice = issue(w, today=dt.date.today())
    # When the addressed unit's office reads it
    response = _client(w.office).get(reverse("notice-detail", args=[notice.pk]))
    # Then the page names the clause that lets a higher level issue one
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(_mark("notices.issue")) == 1
    assert "下发督办通知单等方式，责成“回炉”、“补课”，限期整改到位" in page
