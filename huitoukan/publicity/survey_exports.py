"""A survey's results as xlsx: a sheet for all groups pooled, one per evaluator group, and the ranking."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone

from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.publicity.survey_selectors import Results, Slice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADINGS = ("名次", "被评单位", "层级", "类型", "有效样本数", "满意率", "95%置信区间下限", "95%置信区间上限", "平均分",
            "群众满意度严重偏低", "说明")
RANK_HEADINGS = ("比较范围（层级·类型）", "名次", "被评单位", "有效样本数", "满意率", "95%置信区间下限", "95%置信区间上限",
                 "平均分", "群众满意度严重偏低")


def results_filename(results: Results) -> str:
    return f"评议结果-{results.survey.title}-{timezone.localdate():%Y%m%d}.xlsx"


def rule_text(survey) -> str:
    return (f"排名规则：只在同层级、同类型的单位之间比较；有效样本不少于{survey.min_sample}人的单位按满意率95%置信区间下限"
            f"从高到低排名（相同时样本多者在前），不足的单位列于其后、不排名。群众满意度严重偏低：全部评议群体合计或任一评议群体中，"
            f"有效样本不少于{survey.min_sample}人，且满意率95%置信区间上限低于{survey.low_threshold}%。")


def _note(row, survey) -> str:
    if row.rank is None:
        return f"样本不足（n={row.tally.n}，需≥{survey.min_sample}）"
    return ""


def _sheet(book, name: str, data: Slice, survey, formats) -> None:
    head, cell, pct, num, title = formats
    sheet = book.add_worksheet(name[:31])
    sheet.write(0, 0, f"{survey.title}　{data.label}", title)
    sheet.write(1, 0, rule_text(survey))
    sheet.write_row(2, 0, HEADINGS, head)
    r = 3
    for row in data.rows:
        t, unit = row.tally, row.unit
        interval = t.interval
        sheet.write(r, 0, row.rank if row.rank is not None else "", cell)
        sheet.write_row(r, 1, (unit.full_name, unit.get_level_display(), unit.get_kind_display(), t.n), cell)
        for c, value in ((5, t.rate), (6, interval and interval[0]), (7, interval and interval[1])):
            sheet.write(r, c, value if value is not None else "", pct)
        sheet.write(r, 8, round(t.mean_score, 2) if t.mean_score is not None else "", num)
        sheet.write_row(r, 9, ("是" if row.low else "", _note(row, survey)), cell)
        r += 1
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 10, 14)


def results_xlsx(results: Results, *, comments=(), user, request=None) -> bytes:
    """The workbook; the export is written to the security log like every export."""
    survey = results.survey
    out = io.BytesIO()
    # The respondents' comments are the public's text: never formulas (=HYPERLINK(...) stays text).
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#F2F2F2", "text_wrap": True})
    cell = book.add_format({"border": 1})
    pct = book.add_format({"border": 1, "num_format": "0.0%"})
    num = book.add_format({"border": 1, "num_format": "0.00"})
    title = book.add_format({"bold": True, "font_size": 14})
    formats = (head, cell, pct, num, title)
    _sheet(book, "全部评议群体", results.pooled, survey, formats)
    for data in results.groups:
        _sheet(book, data.label.replace("“", "").replace("”", ""), data, survey, formats)
    sheet = book.add_worksheet("排名")
    sheet.write(0, 0, f"{survey.title}　排名（全部评议群体）", title)
    sheet.write(1, 0, rule_text(survey))
    sheet.write_row(2, 0, RANK_HEADINGS, head)
    r = 3
    for cls in results.pooled.classes:
        label = cls.label
        for entry in (*cls.ranked, *cls.insufficient):
            row, t = entry.key, entry.tally
            interval = t.interval
            sheet.write_row(r, 0, (label, row.rank if row.rank is not None else _note(row, survey), row.unit.full_name,
                                   t.n), cell)
            for c, value in ((4, t.rate), (5, interval and interval[0]), (6, interval and interval[1])):
                sheet.write(r, c, value if value is not None else "", pct)
            sheet.write(r, 7, round(t.mean_score, 2) if t.mean_score is not None else "", num)
            sheet.write(r, 8, "是" if row.low else "", cell)
            r += 1
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 2, 36)
    sheet.set_column(3, 8, 14)
    if comments:
        sheet = book.add_worksheet("意见建议")
        sheet.write_row(0, 0, ("序号", "被评单位", "评议群体", "提交日期", "意见建议"), head)
        for n, response in enumerate(comments, start=1):
            sheet.write_row(n, 0, (n, response.unit.full_name, response.get_group_display(),
                                   f"{timezone.localtime(response.submitted_at):%Y-%m-%d}", response.comment), cell)
        sheet.set_column(1, 1, 36)
        sheet.set_column(2, 3, 14)
        sheet.set_column(4, 4, 80)
    book.close()
    security_event_record(kind=SecurityEventKind.EXPORT, user=user, username=user.get_username(), request=request,
                          detail={"what": "survey_results", "survey": survey.pk, "title": survey.title})
    return out.getvalue()
