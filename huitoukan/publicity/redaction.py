"""Redaction of personal data before anything goes public (seed 004 五; the 个人信息保护法's minimum).

What is hidden: the names of the people the system knows around the publishing unit (orgs.Person of the
unit, its children and its ancestors, and the lead leaders of the chosen items), except leaders' names where
the campaign makes them public; mobile and landline numbers; 身份证 numbers; e-mail addresses; and the words
the office adds after reading the preview (names of ordinary people the system cannot know). A name becomes
its surname and 某 (王某), the rest a bracketed label, so the sentence still reads.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Digits not glued to other digits: a number inside a longer one is not a phone number.
_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("id_number", re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")),
    ("phone", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")),
    ("phone", re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")),
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
)

KIND_LABELS = {"name": "姓名", "phone": "电话号码", "id_number": "身份证号", "email": "电子邮箱", "extra": "指定文字"}


def _masked(kind: str) -> str:
    return {"phone": _("〔电话已隐去〕"), "id_number": _("〔身份证号已隐去〕"), "email": _("〔邮箱已隐去〕")}.get(
        kind, _("〔已隐去〕"))


@dataclass
class Redactor:
    """Built once per publication; `text` applied to every public field, counting what it hid."""

    names: frozenset[str] = frozenset()
    extra: tuple[str, ...] = ()
    hidden: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        # Longest first, so 王小明 is taken before 王小 where both are names.
        self._names = self._alternation(self.names)
        self._extra = self._alternation(self.extra)

    @staticmethod
    def _alternation(words: Iterable[str]) -> re.Pattern | None:
        words = sorted({w for w in words if w and len(w.strip()) >= 2}, key=lambda w: (-len(w), w))
        return re.compile("|".join(re.escape(w) for w in words)) if words else None

    def text(self, value: str) -> str:
        if not value:
            return value
        if self._extra is not None:
            value = self._extra.sub(self._count("extra", lambda m: _("〔已隐去〕")), value)
        for kind, pattern in _PATTERNS:
            value = pattern.sub(self._count(kind, lambda m, k=kind: _masked(k)), value)
        if self._names is not None:
            value = self._names.sub(self._count("name", lambda m: m.group(0)[0] + "某"), value)
        return value

    def _count(self, kind: str, replace):
        def sub(match: re.Match) -> str:
            self.hidden[kind] += 1
            return replace(match)
        return sub

    def summary(self) -> list[tuple[str, int]]:
        """What was hidden, for the preview: (label, count) in a fixed order."""
        return [(KIND_LABELS[k], self.hidden[k]) for k in KIND_LABELS if self.hidden[k]]


def extra_words(text: str) -> tuple[str, ...]:
    """The office's list: one word per line (commas and 、 also separate), blanks dropped."""
    return tuple(w.strip() for w in re.split(r"[\n,，、;；]+", text or "") if w.strip())
