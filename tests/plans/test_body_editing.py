"""The plan editor shows a body of plain paragraphs as the text it was typed as, never its HTML."""

from huitoukan.plans import rules


def test_plain_paragraphs_come_back_as_text_and_save_to_the_same_body():
    body = rules.body_clean("一、主要做法：逐项梳理\n建立台帐\n\n二、存在问题 & 不足")
    shown = rules.body_for_editing(body)
    assert "<p>" not in shown and shown == "一、主要做法：逐项梳理\n建立台帐\n\n二、存在问题 & 不足"
    assert rules.body_clean(shown) == body


def test_a_richer_body_is_shown_as_its_html():
    body = rules.body_clean("<ul><li>路线图</li></ul><p>说明</p>")
    assert rules.body_for_editing(body) == body
