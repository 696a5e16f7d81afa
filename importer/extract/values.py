"""Reading single values the way job postings write them: text, dates, money, workplaces."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from jobs.posting import DESCRIPTION_MAX
from jobs.sanitize import sanitize_description


def text(value: Any) -> str:
    """A string field as given, trimmed; the first usable item of a list; '' for anything else."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        for item in value:
            found = text(item)
            if found:
                return found
        return ""
    if isinstance(value, dict):
        # JSON-LD value objects and named things ({"@value": ...}, {"name": ...}).
        for key in ("@value", "name", "value"):
            if key in value:
                return text(value[key])
    return ""


def text_list(value: Any, sep: str = ", ") -> str:
    """Several strings joined (employmentType: ["FULL_TIME", "PART_TIME"]); one item as given."""
    if isinstance(value, list | tuple):
        parts = [text(item) for item in value]
        return sep.join(dict.fromkeys(p for p in parts if p))
    return text(value)


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_EPOCH = re.compile(r"^\s*\d{9,13}(?:\.\d+)?\s*$")
# Beyond this, an epoch number is in milliseconds (seconds would be past the year 5000).
_EPOCH_MS_FROM = 100_000_000_000


def to_date(value: Any) -> date | None:
    """The calendar date as written in an ISO timestamp (its own offset), or the UTC date of an
    epoch number (seconds or milliseconds). None for relative or unreadable dates."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _EPOCH.match(value):
        value = float(value)
    if isinstance(value, int | float):
        if value != value or value <= 0:  # NaN or not a time
            return None
        seconds = value / 1000 if value >= _EPOCH_MS_FROM else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, dict):
        return to_date(text(value))
    if isinstance(value, list):
        return to_date(value[0]) if value else None
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    for parse in (_rfc2822, _spelled_out):
        found = parse(value.strip())
        if found:
            return found
    return None


def _rfc2822(value: str) -> date | None:
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def _spelled_out(value: str) -> date | None:
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date only
        except ValueError:
            continue
    return None


def to_decimal(value: Any) -> Decimal | None:
    """A positive amount from a number or a numeric string ("3750", "100,000.00"); else None.
    Zero counts as no amount: boards write 0 for a salary they do not show."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dict):
        value = value.get("@value", value.get("value"))
        return to_decimal(value)
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    elif isinstance(value, str):
        cleaned = value.strip().replace(",", "").replace("_", "").replace("\u00a0", "")
        cleaned = cleaned.replace(" ", "")
        if not re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
            return None
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            return None
    else:
        return None
    if not amount.is_finite() or amount <= 0:
        return None
    return plain(amount)


def plain(amount: Decimal) -> Decimal:
    """Whole amounts without exponent or decimals (90000, not 9E+4 or 90000.00)."""
    if amount == amount.to_integral_value():
        return Decimal(int(amount))
    return amount.normalize()


INTERVAL_WORDS = {
    "hour": "hour",
    "hours": "hour",
    "hourly": "hour",
    "hr": "hour",
    "h": "hour",
    "day": "day",
    "days": "day",
    "daily": "day",
    "week": "week",
    "weeks": "week",
    "weekly": "week",
    "wk": "week",
    "month": "month",
    "months": "month",
    "monthly": "month",
    "mo": "month",
    "year": "year",
    "years": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "annum": "year",
    "yr": "year",
    "pa": "year",
}


def interval(value: Any) -> str:
    """One of hour/day/week/month/year from a unit word (HOUR, "per year", annual...), or ''."""
    word = text(value).lower().replace("_", " ").replace("-", " ")
    if not word:
        return ""
    if word in INTERVAL_WORDS:
        return INTERVAL_WORDS[word]
    for token in re.findall(r"[a-z]+", word):
        if token in INTERVAL_WORDS and token not in ("h", "pa", "mo"):
            return INTERVAL_WORDS[token]
    return ""


# Longer signs first: "CA$" before "$".
CURRENCY_SIGNS = {
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "SG$": "SGD",
    "S$": "SGD",
    "R$": "BRL",
    "MX$": "MXN",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "¥": "JPY",
    "₩": "KRW",
    "₪": "ILS",
    "zł": "PLN",
}
_CODES = (
    "USD EUR GBP CAD AUD NZD CHF JPY CNY HKD SGD INR KRW SEK NOK DKK PLN CZK HUF RON BGN "
    "ILS TRY ZAR BRL MXN ARS CLP COP PEN AED SAR QAR EGP NGN KES PHP IDR MYR THB VND TWD UAH"
)
CURRENCY_CODES = frozenset(_CODES.split())
_CURRENCY_CODE = re.compile(r"\b([A-Z]{3})\b")
_AMOUNT = re.compile(r"(\d[\d,.'\u2019\u00a0 ]*\d|\d)\s*([kKmM])?\b")
_UP_TO = re.compile(r"\b(up to|max(imum)?|to)\s*\W{0,3}\s*\d", re.IGNORECASE)


def salary_from_text(value: str) -> tuple[Decimal | None, Decimal | None, str, str]:
    """(min, max, currency, interval) from a salary field's free text: "$90k - $105k",
    "EUR 50.000-60.000 per year", "£25/hour". A lone amount gives min = max."""
    value = text(value)
    if not value:
        return None, None, "", ""
    amounts = []
    for match in _AMOUNT.finditer(value):
        number, suffix = match.group(1), (match.group(2) or "").lower()
        amount = _amount(number)
        if amount is None:
            continue
        if suffix == "k":
            amount *= 1000
        elif suffix == "m":
            amount *= 1_000_000
        amounts.append((amount, suffix))
    amounts = amounts[:2]
    if not amounts:
        return None, None, "", ""
    if len(amounts) == 2 and amounts[1][1] and not amounts[0][1] and amounts[0][0] < 1000:
        # "80-100k": the unit written once applies to both.
        factor = 1000 if amounts[1][1] == "k" else 1_000_000
        amounts[0] = (amounts[0][0] * factor, amounts[1][1])
    amounts = [plain(amount) for amount, _suffix in amounts]
    low = amounts[0]
    if len(amounts) == 1 and _UP_TO.match(value):
        low = None  # "Up to $120k" states only a maximum
    currency = ""
    codes = [c for c in _CURRENCY_CODE.findall(value) if c in CURRENCY_CODES]
    if codes:
        currency = codes[0]
    else:
        for sign, iso in CURRENCY_SIGNS.items():
            if sign in value:
                currency = iso
                break
    unit = ""
    tail = re.search(r"(?:/|\bper\b|\ba\b|\ban\b)\s*([A-Za-z]+)", value)
    if tail:
        unit = interval(tail.group(1))
    if not unit:
        for token in re.findall(r"[A-Za-z]+", value):
            if token.lower() in INTERVAL_WORDS and len(token) > 2:
                unit = INTERVAL_WORDS[token.lower()]
                break
    return low, amounts[-1], currency, unit


def _amount(number: str) -> Decimal | None:
    number = re.sub(r"[\u00a0 '\u2019]", "", number)
    # "50.000" and "50,000" are thousands, and so is "12,00,000" (Indian grouping);
    # "12.50" and "12,5" are decimals.
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", number) or re.fullmatch(
        r"\d{1,2}(,\d{2})+,\d{3}", number
    ):
        number = re.sub(r"[.,]", "", number)
    else:
        number = number.replace(",", ".")
        if number.count(".") > 1:
            return None
    return to_decimal(number)


def workplace_from_label(label: str) -> str:
    """A location label's workplace: 'Hybrid - London' is hybrid, 'Remote (EU)' remote."""
    if not label:
        return "unknown"
    words = set(re.findall(r"[a-z]+", label.lower()))
    if "hybrid" in words:
        return "hybrid"
    if "remote" in words or "telecommute" in words:
        return "remote"
    return "unknown"


def remote_for(workplace: str) -> bool | None:
    return {"remote": True, "hybrid": False, "onsite": False}.get(workplace)


_WORKPLACE_FIELDS = {
    workplace: {"workplace": workplace, "remote": remote_for(workplace)}
    for workplace in ("onsite", "hybrid", "remote", "unknown")
}


def workplace_fields(workplace: str) -> dict:
    """Posting keyword arguments for a workplace: hybrid and on-site jobs are not remote.
    The dict is shared: spread it, never change it."""
    return _WORKPLACE_FIELDS.get(workplace, _WORKPLACE_FIELDS["unknown"])


_TAG = re.compile(r"<[A-Za-z/!]")


def paragraphs(text: str) -> str:
    """Plain text as HTML: blank lines part paragraphs, single line breaks stay."""
    parts = (part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")))
    return "".join(
        "<p>" + html.escape(part, quote=False).replace("\n", "<br>") + "</p>"
        for part in parts
        if part
    )


def description(value: Any, *, unescape: bool = True) -> str:
    """A description as safe HTML: one unescape pass (for HTML given as escaped text), then
    sanitised and capped by the tracker's one policy (jobs.sanitize, DESCRIPTION_MAX)."""
    raw = text(value)
    if not raw:
        return ""
    # A generous cap before sanitising bounds the work on a huge field.
    raw = raw[: DESCRIPTION_MAX * 4]
    source = html.unescape(raw) if unescape else raw
    if "\n" in source and not _TAG.search(source):
        source = paragraphs(source)
    return sanitize_description(source)


def web_url(value: Any, base: str = "") -> str:
    """An http(s) address, resolved against `base` when relative; '' for anything else
    (javascript:, data:, mailto:...)."""
    url = text(value)
    if not url:
        return ""
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return ""
    scheme, _, rest = url.partition(":")
    if scheme.lower() not in ("http", "https") or not rest.startswith("//") or len(url) > 2048:
        return ""
    if any(c in url for c in '\x00\r\n\t <>"'):
        return ""
    return url
