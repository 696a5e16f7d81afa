"""Which tracked job an email is about: the employer (from the sender's domain, the ATS's
address and the text), the title by fuzzy match, and the job's board id."""

from __future__ import annotations

from rapidfuzz import fuzz

from inbox.understand import normalise_company, plain

MIN_SCORE = 60


def _company_score(company: str, hints: list[str], haystack: str) -> int:
    name = normalise_company(company)
    if not name:
        return 0
    squashed = name.replace(" ", "")
    for hint in hints:
        hint_squashed = hint.replace(" ", "")
        if not hint_squashed:
            continue
        if hint_squashed == squashed or fuzz.ratio(hint_squashed, squashed) >= 88:
            return 60
        if len(hint_squashed) >= 4 and (hint_squashed in squashed or squashed in hint_squashed):
            return 50
    if len(name) >= 3 and f" {name} " in f" {haystack} ":
        return 45
    return 0


def job_score(job, *, hints: list[str], subject: str, text: str) -> int:
    haystack = " ".join(plain(subject + " " + text[:4000]).replace("-", " ").split())
    score = _company_score(job.company, hints, haystack)
    if job.board_id and len(job.board_id) >= 4 and job.board_id.lower() in haystack:
        score += 60
    title = plain(job.title)
    if title:
        ratio = fuzz.partial_ratio(title, haystack) if len(title) >= 4 else 0
        score += int(max(0, ratio - 60) * 1.0)  # up to 40 for a full title match
        if ratio >= 97 and len(title) >= 10:
            score += 20  # a long title quoted word for word names the job even without employer
    return score


def best_job(jobs, *, hints: list[str], subject: str, text: str):
    """The job with the highest score, when it is high enough and clearly the highest."""
    scored = sorted(
        ((job_score(job, hints=hints, subject=subject, text=text), job) for job in jobs),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < MIN_SCORE:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        # Two jobs alike: the most recently active one.
        tied = [job for score, job in scored if score == scored[0][0]]
        return max(tied, key=lambda job: job.updated_at)
    return scored[0][1]
