"""A 督办通知单 as an official document (GB/T 9704-2012, huitoukan.core.officialdoc)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from huitoukan.core.officialdoc import (
    Heading,
    OfficialDocument,
    Paragraph,
    chinese_document_date,
    officialdoc_docx,
)
from huitoukan.notices.models import Notice

_ORDINALS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    if n <= 10:
        return _ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else _ORDINALS[tens - 1]}十{_ORDINALS[ones - 1] if ones else ''}"


def notice_document(notice: Notice, findings=()) -> OfficialDocument:
    """The notice's parts: 发文机关, 发文字号, 标题, 主送 the addressed unit, the problems (（一）（二）…) under
    一、存在的问题, the actions under 二、整改要求, the deadline, 署名 and 成文日期 (the 印章 left as space)."""
    problems = [f.description.strip() for f in findings] + notice.problem_lines
    body = [Paragraph(_("根据督查情况，现将你单位存在的问题及整改要求通知如下，请认真抓好整改落实。")),
            Heading(1, _("存在的问题"))]
    body += [Paragraph(f"（{_ordinal(i)}）{text}") for i, text in enumerate(problems, 1)]
    body.append(Heading(1, _("整改要求")))
    body += [Paragraph(line.strip()) for line in notice.requirements.splitlines() if line.strip()]
    body.append(Paragraph(_("请于%(due)s前将整改落实情况书面报送%(issuer)s。") % {
        "due": chinese_document_date(notice.answer_due_on), "issuer": notice.issuer_name}))
    return OfficialDocument(issuer=notice.issuer_name, number=notice.number, title=notice.title,
                            signer=notice.issuer_name, date=notice.issued_on, addressee=notice.addressed_unit.name,
                            body=body)


def notice_docx(notice: Notice) -> bytes:
    return officialdoc_docx(notice_document(notice, notice.findings.order_by("pk")))


def notice_filename(notice: Notice) -> str:
    return f"{notice.number}.docx"
