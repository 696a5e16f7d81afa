""" "Applied before?": the person's applications of the last six months at the same company
(names normalised: case, punctuation and legal forms such as "GmbH" or "Inc." ignored), the
ones with a similar title first (rapidfuzz). Shown before a new job is saved."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from django.utils import timezone
from rapidfuzz import fuzz

from jobs.models import Job

WINDOW_DAYS = 183
SIMILAR_TITLE = 80
_LEGAL_FORMS = {
    "inc", "incorporated", "llc", "ltd", "limited", "plc", "gmbh", "ag", "se", "kg", "co",
    "corp", "corporation", "company", "sa", "sas", "sarl", "bv", "nv", "oy", "ab", "as", "srl",
    "spa", "pty", "llp", "ug", "mbh", "the",
}  # fmt: skip


def normalise_company(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name or "")[:200]).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))
    return " ".join(w for w in text.split() if w not in _LEGAL_FORMS)


def earlier_applications(user, *, company: str, title: str, now=None) -> list[tuple[Job, int]]:
    """(job, title similarity 0–100) of applications at that company in the window: one query."""
    key = normalise_company(company)
    if not key:
        return []
    now = now or timezone.now()
    since = timezone.localdate(now) - timedelta(days=WINDOW_DAYS)
    first_word = key.split()[0]
    candidates = (
        Job.objects.filter(user=user, applied_on__gte=since, company__icontains=first_word)
        .only("pk", "title", "company", "applied_on", "stage")
        .order_by("-applied_on", "-pk")[:200]
    )
    found = []
    for job in candidates:
        if normalise_company(job.company) != key:
            continue
        score = round(fuzz.token_set_ratio(title.casefold(), job.title.casefold()))
        found.append((job, score))
    found.sort(key=lambda pair: (pair[1] < SIMILAR_TITLE, -pair[1]))
    return found[:5]
