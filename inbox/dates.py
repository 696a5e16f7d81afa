"""Dates and times as people and mail clients write them, in English, German, French and
Spanish: "Mon, Mar 3, 2025 at 10:15 AM", "Montag, 3. März 2025 10:15", "lun. 3 mars 2025 à
10:15", "lunes, 3 de marzo de 2025 10:15", "03/03/2025 10:15", "2025-03-03". A tokeniser, no
backtracking patterns."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # German
    "januar": 1, "februar": 2, "marz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12, "jän": 1, "jan.": 1, "mrz": 3, "okt": 10, "dez": 12,
    # French (accents removed)
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12, "janv": 1, "fevr": 2,
    "fev": 2, "avr": 4, "juil": 7,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
}  # fmt: skip
PM_WORDS = {"pm", "p.m.", "p.m"}
AM_WORDS = {"am", "a.m.", "a.m"}
TOKEN = re.compile(r"\d{1,4}(?:[:h.]\d{2})?|[^\W\d_]+\.?|[/\-.]", re.UNICODE)
TIME = re.compile(r"^(\d{1,2})(?:[:h.](\d{2}))$")
NUMERIC_DATE = re.compile(r"\b(\d{1,4})([./-])(\d{1,2})\2(\d{2,4})\b")


COMBINING = re.compile("[\u0300-\u036f]+")


def _plain(text: str) -> str:
    text = text.lower()
    if text.isascii():
        return text
    return COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _month(token: str) -> int | None:
    token = token.rstrip(".")
    return MONTHS.get(token)


def _time_in(tokens: list[str], start: int) -> time | None:
    """The first hh:mm (or "14 uhr", "2 pm") in tokens from start, with am/pm applied."""
    for i in range(start, min(len(tokens), start + 8)):
        token = tokens[i]
        match = TIME.match(token)
        hour = minute = None
        if match and ("." not in token or i > start):
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
        elif token.isdigit() and i + 1 < len(tokens):
            following = tokens[i + 1].rstrip(".")
            if following in ("uhr", "h") or tokens[i + 1] in PM_WORDS | AM_WORDS:
                hour, minute = int(token), 0
        if hour is None:
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following in PM_WORDS and hour < 12:
            hour += 12
        elif following in AM_WORDS and hour == 12:
            hour = 0
        if 0 <= hour < 24 and 0 <= minute < 60:
            return time(hour, minute)
    return None


def find_datetime(
    text: str, *, reference: datetime | None = None, need_time: bool = False
) -> datetime | None:
    """The first date in the text (and the time that follows it). A date without a year is
    taken as the next one after `reference`. Naive times are read as UTC."""
    plain = _plain(text[:5000])
    tokens = TOKEN.findall(plain)
    reference_day = (reference or datetime.now(UTC)).date()
    for i, token in enumerate(tokens):
        month = _month(token)
        day = year = None
        after = i + 1
        if month is not None:
            # "March 3, 2025" / "3. März 2025" / "3 de marzo de 2025" / "3 mars"; a weekday
            # that spells like a month ("mar." for mardi) is followed by the real month.
            if i + 2 < len(tokens) and _month(tokens[i + 2]) is not None:
                continue
            previous = tokens[i - 1] if i >= 1 else ""
            if previous in (".", "de") and i >= 2:
                previous = tokens[i - 2]
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if previous.isdigit() and 1 <= int(previous) <= 31:
                day = int(previous)
            elif following.isdigit() and 1 <= int(following) <= 31:
                day, after = int(following), i + 2
            if day is None:
                continue
            for j in range(i + 1, min(len(tokens), i + 6)):
                if len(tokens[j]) == 4 and tokens[j].isdigit() and 1990 < int(tokens[j]) < 2100:
                    year, after = int(tokens[j]), j + 1
                    break
        elif token.isdigit() and len(token) == 4 and i + 4 < len(tokens) and tokens[i + 1] == "-":
            # 2025-03-03
            try:
                year, month, day = int(token), int(tokens[i + 2]), int(tokens[i + 4])
            except ValueError:
                continue
            after = i + 5
        else:
            continue
        if year is None:
            year = reference_day.year
            try:
                if date(year, month, day) < reference_day - timedelta(days=7):
                    year += 1
            except ValueError:
                continue
        try:
            day_value = date(year, month, day)
        except ValueError:
            continue
        moment = _time_in(tokens, after)
        if moment is None and need_time:
            continue
        return datetime.combine(day_value, moment or time(0, 0), tzinfo=UTC)
    numeric = NUMERIC_DATE.search(plain)
    if numeric:
        first, _sep, second, third = numeric.groups()
        try:
            if len(first) == 4:
                day_value = date(int(first), int(second), int(third))
            else:
                year = int(third) + (2000 if len(third) == 2 else 0)
                # Day first, as in Europe, unless that cannot be (US: month first).
                a, b = int(first), int(second)
                day_value = date(year, b, a) if b <= 12 else date(year, a, b)
        except ValueError:
            return None
        rest = TOKEN.findall(plain[numeric.end() : numeric.end() + 40])
        moment = _time_in(rest, 0)
        if moment is None and need_time:
            return None
        return datetime.combine(day_value, moment or time(0, 0), tzinfo=UTC)
    return None


def parse_loose_datetime(text: str) -> datetime | None:
    if not text:
        return None
    return find_datetime(text)
