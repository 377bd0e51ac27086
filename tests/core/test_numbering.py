"""The 发文字号's numbering (huitoukan.core.numbering), one implementation for the 督办通知单 and the 公文: the
default 机关代字 from the unit's name, and the next serial from a locked counter row."""

from __future__ import annotations

import pytest

from huitoukan.core import numbering
from huitoukan.documents import services as document_services
from huitoukan.documents.models import DocumentCounter, DocumentKind
from huitoukan.notices import services as notice_services
from huitoukan.notices.models import NoticeCounter


@pytest.mark.parametrize(("name", "suffix", "prefix"), [
    ("涟源市", "督", "涟源督"), ("涟源市", "通", "涟源通"), ("桥头河镇", "简", "桥头河简"), ("乐坪街道", "报", "乐坪报"),
    ("市教育局", "督", "市教育局督"), ("娄底市（试点）", "通", "娄底市试点通"), ("涟 源〔市〕", "督", "涟源督"),
    ("中共湖南省娄底市委员会教育实践活动领导小组", "通", "中共湖南省娄底市委员通"), ("市", "督", "市督"),
])
def test_the_default_prefix_is_the_name_without_its_level_and_brackets_then_the_suffix(name, suffix, prefix):
    assert numbering.default_prefix(name, suffix) == prefix


def test_notices_and_documents_take_their_default_prefix_from_the_one_rule(tree):
    # given a unit, when both apps give its default 机关代字, then both are the core rule's
    assert notice_services.default_prefix(tree.lianyuan) == numbering.default_prefix("涟源市", "督") == "涟源督"
    assert document_services.prefixes_of(tree.lianyuan) == {
        kind: numbering.default_prefix("涟源市", suffix) for kind, suffix in
        ((DocumentKind.BULLETIN, "通"), (DocumentKind.BRIEF, "简"), (DocumentKind.REPORT, "报"))}


@pytest.mark.django_db
def test_a_counter_starts_at_1_and_counts_per_key_for_a_model_or_a_queryset(tree):
    # given no counter rows, when serials are taken for two keys of each app's counter
    taken = [numbering.serial_next(NoticeCounter, unit=tree.city, year=2015) for _ in range(3)]
    other_year = numbering.serial_next(NoticeCounter.objects.all(), unit=tree.city, year=2016)
    kinds = [numbering.serial_next(DocumentCounter, unit=tree.city, year=2015, kind=kind)
             for kind in (DocumentKind.BULLETIN, DocumentKind.BULLETIN, DocumentKind.BRIEF)]
    # then each key counts on its own from 1, and the rows keep the last serial given
    assert (taken, other_year, kinds) == ([1, 2, 3], 1, [1, 2, 1])
    assert NoticeCounter.objects.get(unit=tree.city, year=2015).last == 3
    # and both apps' own helpers take the next one from the same counters
    assert notice_services.serial_next(tree.city, 2015) == 4
    assert document_services.serial_next(tree.city, 2015, DocumentKind.BULLETIN) == 3
