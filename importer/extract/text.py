"""A posting from plain pasted text: what a person copies from a job site.

People copy the posting the way sites lay it out: the title on the first line, the company on
the next (often with the place after a "·"), short lines such as "Hybrid · Full-time" or
"€60K/yr - €75K/yr", labelled lines ("Location: Berlin", "Gehalt: 60.000 €", "Lieu : Paris"),
and the site's own buttons and counters ("Easy Apply", "3 weeks ago · 120 applicants").

Only what the text states is read. A field it does not state stays empty and is named in
`needs_check`, for the preview to mark "please check". The text is read line by line with
string methods, on bounded input: the time grows with the length of the text and nothing else.
"""

from __future__ import annotations

import html
from dataclasses import replace

from importer.extract import values
from importer.posting import Posting

# A pasted posting is a few thousand characters; the form caps what it accepts far above that.
MAX_TEXT_CHARS = 200_000
# Lines longer than this are prose: never a title, a label or a button.
SHORT_LINE = 200
# The lines a site puts above the description, where titles, companies and tags are.
HEADER_LINES = 15
MAX_TITLE = 150
MAX_COMPANY = 100

# The fields the preview asks the person to check when the text did not state them.
CHECKED = ("title", "company", "location", "workplace", "employment_type", "salary_min")

LABELS = {
    "title": (
        "job title", "title", "position", "role", "stelle", "stellenbezeichnung", "jobtitel",
        "poste", "intitulé du poste", "intitulé",
    ),
    "company": (
        "company", "employer", "hiring company", "firma", "unternehmen", "arbeitgeber",
        "entreprise", "société", "employeur",
    ),
    "location": (
        "location", "locations", "job location", "office", "city", "standort", "arbeitsort",
        "einsatzort", "ort", "dienstort", "lieu", "lieu de travail", "localisation", "ville",
    ),
    "salary": (
        "salary", "salary range", "pay", "pay range", "compensation", "base salary", "wage",
        "gehalt", "jahresgehalt", "vergütung", "verdienst", "bruttogehalt", "salaire",
        "rémunération", "remuneration", "salaire annuel", "fourchette de salaire",
    ),
    "employment_type": (
        "employment type", "job type", "type", "contract", "contract type", "hours",
        "anstellungsart", "beschäftigungsart", "vertragsart", "arbeitszeit", "anstellung",
        "type de contrat", "type d'emploi", "type d’emploi", "contrat", "temps de travail",
    ),
    "workplace": (
        "remote", "workplace", "workplace type", "work model", "work arrangement", "remote work",
        "arbeitsmodell", "homeoffice", "home office", "home-office", "télétravail",
        "mode de travail", "modalité de travail",
    ),
}  # fmt: skip
LABEL_FIELD = {label: field for field, labels in LABELS.items() for label in labels}

WORKPLACE_WORDS = {
    "remote": "remote", "fully remote": "remote", "100% remote": "remote", "remote first": "remote",
    "full remote": "remote", "work from home": "remote", "remote only": "remote",
    "vollständig remote": "remote", "komplett remote": "remote", "100% homeoffice": "remote",
    "télétravail": "remote", "télétravail complet": "remote", "100% télétravail": "remote",
    "télétravail total": "remote", "à distance": "remote",
    "hybrid": "hybrid", "hybrid remote": "hybrid", "hybride": "hybrid",
    "teilweise remote": "hybrid", "teilweise homeoffice": "hybrid", "homeoffice möglich": "hybrid",
    "télétravail partiel": "hybrid", "télétravail possible": "hybrid",
    "on site": "onsite", "onsite": "onsite", "in office": "onsite", "in person": "onsite",
    "office based": "onsite", "vor ort": "onsite", "präsenz": "onsite", "sur site": "onsite",
    "présentiel": "onsite", "en présentiel": "onsite",
}  # fmt: skip
# A "Remote:" label answered yes or no.
YES_NO = {
    "yes": "remote", "ja": "remote", "oui": "remote", "no": "onsite", "nein": "onsite",
    "non": "onsite",
}  # fmt: skip
EMPLOYMENT_WORDS = {
    "full time": "full_time", "fulltime": "full_time", "vollzeit": "full_time",
    "temps plein": "full_time", "temps complet": "full_time",
    "part time": "part_time", "parttime": "part_time", "teilzeit": "part_time",
    "temps partiel": "part_time",
    "contract": "contract", "contractor": "contract", "freelance": "contract",
    "freelancer": "contract", "freiberuflich": "contract", "indépendant": "contract",
    "temporary": "temporary", "temp": "temporary", "befristet": "temporary", "cdd": "temporary",
    "intérim": "temporary", "interim": "temporary",
    "internship": "internship", "intern": "internship", "praktikum": "internship",
    "stage": "internship",
    "volunteer": "volunteer", "ehrenamtlich": "volunteer", "bénévolat": "volunteer",
}  # fmt: skip
# Interval words in German and French, for the salary reader's English ones.
INTERVAL_WORDS = {
    "jahr": "year", "jährlich": "year", "jahresgehalt": "year", "an": "year", "annuel": "year",
    "annuelle": "year", "année": "year", "monat": "month", "monatlich": "month", "mois": "month",
    "mensuel": "month", "stunde": "hour", "std": "hour", "stündlich": "hour", "heure": "hour",
    "tag": "day", "jour": "day",
}  # fmt: skip

# The site's own buttons, headings and counters, never part of the posting.
NOISE_LINES = {
    "easy apply", "apply", "apply now", "save", "saved", "share", "promoted", "sponsored",
    "promoted by hirer", "actively recruiting", "actively reviewing applicants", "new",
    "show more", "show less", "see more", "…see more", "... see more", "more", "report this job",
    "be an early applicant", "show match details", "tailor my resume", "help me stand out",
    "sign in", "follow", "message", "jetzt bewerben", "bewerben", "einfach bewerben",
    "speichern", "teilen", "gesponsert", "anzeige", "neu", "mehr anzeigen", "postuler",
    "candidature simplifiée", "enregistrer", "partager", "sponsorisé", "promu", "nouveau",
    "voir plus", "afficher plus",
}  # fmt: skip
# Headings where the description starts: the header above them is over.
DESCRIPTION_HEADINGS = {
    "about the job", "about the role", "about this role", "job description", "description",
    "the role", "über die stelle", "stellenbeschreibung", "deine aufgaben", "ihre aufgaben",
    "à propos de l'offre d'emploi", "à propos de l’offre d’emploi", "description du poste",
    "descriptif du poste", "le poste", "missions",
}  # fmt: skip
NOISE_PREFIXES = ("promoted by", "reposted", "posted ", "responses managed", "over ")
NOISE_PARTS = (
    " ago", "applicant", "clicked apply", "bewerb", "il y a", "candidat",
    "responses managed", "promoted by",
)  # fmt: skip
SEPARATORS = ("·", "•", "|", "‧", "∙")


def _key(value: str) -> str:
    """A short piece of text as a lookup key: lower case, single spaces, hyphens as spaces."""
    value = value.lower().replace("-", " ").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(value.strip(" \t*•·:!.").split())


def _parts(line: str) -> list[str]:
    for sep in SEPARATORS[1:]:
        line = line.replace(sep, SEPARATORS[0])
    return [part.strip() for part in line.split(SEPARATORS[0]) if part.strip()]


def _is_noise(part: str) -> bool:
    key = _key(part)
    if not key or key in NOISE_LINES or key.endswith(" logo"):
        return True
    if key.startswith(NOISE_PREFIXES):
        return True
    words = key.split()
    if (
        words[0] == "vor"
        and len(words) > 1
        and (words[1].isdigit() or words[1] in ("einem", "einer"))
    ):
        return True  # "vor 2 Tagen"
    padded = f" {key} "
    return any(word in padded for word in NOISE_PARTS) and len(key) < 80


def _label(line: str) -> tuple[str, str] | None:
    """(field, value) of a labelled line ("Location: Berlin", "Lieu : Paris"), else None."""
    if len(line) > SHORT_LINE or ":" not in line:
        return None
    name, _, value = line.partition(":")
    field = LABEL_FIELD.get(_key(name))
    if field is None:
        return None
    return field, value.strip()


def _workplace(value: str) -> str:
    key = _key(value)
    return WORKPLACE_WORDS.get(key, "")


def _employment(value: str) -> str:
    """The first employment type a value names ("CDI, temps plein" is full time)."""
    for piece in value.replace("/", ",").replace(";", ",").split(","):
        for part in _parts(piece):
            found = EMPLOYMENT_WORDS.get(_key(part))
            if found:
                return found
    return ""


def _has_currency(value: str) -> bool:
    if any(sign in value for sign in values.CURRENCY_SIGNS):
        return True
    return any(word in values.CURRENCY_CODES for word in value.replace("-", " ").split())


def _salary(value: str) -> dict:
    low, high, currency, unit = values.salary_from_text(value[:SHORT_LINE])
    if high is None:
        return {}
    if not unit:
        lowered = value.lower()
        if "p.a" in lowered:
            unit = "year"
        else:
            words = "".join(c if c.isalpha() else " " for c in lowered).split()
            unit = next((INTERVAL_WORDS[w] for w in words if w in INTERVAL_WORDS), "")
    return {
        "salary_min": low,
        "salary_max": high,
        "salary_currency": currency,
        "salary_interval": unit,
    }


def _place(value: str, found: dict) -> str:
    """A location as written, with a workplace in brackets ("Berlin (Hybrid)") taken out."""
    value = value.strip()
    if value.endswith(")") and "(" in value:
        head, _, inner = value[:-1].rpartition("(")
        workplace = _workplace(inner)
        if workplace:
            found.setdefault("workplace", workplace)
            value = head.strip()
    workplace = _workplace(value)
    if workplace:
        found.setdefault("workplace", workplace)
        return ""
    # "Remote (EU)", "Hybrid - London": the place stays as written, the workplace is read.
    workplace = values.workplace_from_label(value[:SHORT_LINE])
    if workplace != "unknown":
        found.setdefault("workplace", workplace)
    return value.strip(" ,;")


def _take_label(field: str, value: str, found: dict) -> None:
    if not value:
        return
    if field in ("title", "company"):
        found.setdefault(field, value[:MAX_TITLE])
    elif field == "location":
        place = _place(value, found)
        if place:
            found.setdefault("location", place)
    elif field == "salary":
        if "salary_max" not in found:
            found.update(_salary(value))
    elif field == "employment_type":
        kind = _employment(value)
        if kind:
            found.setdefault("employment_type", kind)
    elif field == "workplace":
        workplace = _workplace(value) or YES_NO.get(_key(value), "")
        if workplace:
            found.setdefault("workplace", workplace)


def _take_tags(parts: list[str], found: dict) -> list[str]:
    """Read the parts of a header line that are tags (workplace, employment type, salary);
    return the others."""
    rest = []
    for part in parts:
        workplace, kind = _workplace(part), EMPLOYMENT_WORDS.get(_key(part), "")
        if not (workplace or kind) and _is_noise(part):
            continue
        if workplace:
            found.setdefault("workplace", workplace)
        elif kind:
            found.setdefault("employment_type", kind)
        elif _has_currency(part) and any(c.isdigit() for c in part) and len(part) <= 80:
            salary = _salary(part)
            if salary and "salary_max" not in found:
                found.update(salary)
            elif not salary:
                rest.append(part)
        else:
            rest.append(part)
    return rest


def _looks_like_name(line: str, limit: int) -> bool:
    """A title or a company line: short, not a sentence, not a label."""
    return (
        0 < len(line) <= limit
        and not line.endswith((".", "!", "?", ":"))
        and len(line.split()) <= 15
        and _key(line) not in DESCRIPTION_HEADINGS
    )


def _lines(text: str) -> list[str]:
    text = text[:MAX_TEXT_CHARS].replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return [line.strip() for line in text.split("\n")]


def read_text(text: str) -> tuple[dict, list[str]]:
    """What the text states, as Posting keyword arguments, and the lines left for the
    description (blank lines kept, the site's buttons and the consumed header lines dropped)."""
    lines = _lines(text)
    found: dict = {}
    kept: list[str] = []
    header = True
    content_lines = 0
    names: list[str] = []  # the title, then the company, as the header gives them
    pending_label = ""
    for line in lines:
        if not line:
            kept.append("")
            continue
        if pending_label:
            _take_label(pending_label, line, found)
            pending_label = ""
            kept.append(line)
            continue
        short = len(line) <= SHORT_LINE
        if short and _key(line) in DESCRIPTION_HEADINGS:
            header = False
            kept.append(line)
            continue
        labelled = _label(line)
        if labelled is not None:
            field, value = labelled
            if value:
                _take_label(field, value, found)
            else:
                pending_label = field
            kept.append(line)
            continue
        if header and short:
            content_lines += 1
            if content_lines > HEADER_LINES:
                header = False
            else:
                rest = _take_tags(_parts(line), found)
                if not rest:
                    continue
                if len(names) < 2 and _looks_like_name(rest[0], MAX_TITLE):
                    names.append(rest[0])
                    if len(names) == 2:
                        for extra in rest[1:]:
                            place = _place(extra, found)
                            if place and "location" not in found:
                                found["location"] = place
                    continue
                if (
                    "location" not in found
                    and len(names) == 2
                    and len(rest) == 1
                    and (len(_parts(line)) > 1)
                ):
                    # "Berlin, Germany · 3 weeks ago · 120 applicants": the place the site
                    # shows next to its counters.
                    place = _place(rest[0], found)
                    if place:
                        found["location"] = place
                        continue
                header = False
        elif not short:
            header = False
        if short and _is_noise(line) and len(line) < 60:
            continue
        kept.append(line)
    if names:
        found.setdefault("title", names[0][:MAX_TITLE])
    if len(names) > 1 and len(names[1]) <= MAX_COMPANY:
        found.setdefault("company", names[1])
    return found, kept


def _as_html(lines: list[str]) -> str:
    """Lines as paragraphs and lists: blank lines part paragraphs, "•" or "-" lines are items."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for line in lines:
        if not line:
            flush()
            continue
        bullet = line[:1] in ("•", "-", "*", "–", "·", "▪", "◦") and line[1:2] == " "
        if bullet:
            if paragraph:
                flush()
            items.append(html.escape(line[2:].strip(), quote=False))
        else:
            if items:
                flush()
            paragraph.append(html.escape(line, quote=False))
    flush()
    return "".join(out)


def posting_from_text(text: str) -> Posting:
    found, kept = read_text(text or "")
    workplace = found.pop("workplace", "unknown")
    posting = Posting(
        **found,
        **values.workplace_fields(workplace),
        description=values.description(_as_html(kept), unescape=False),
        source="text",
    )
    unread = tuple(name for name in CHECKED if _unread(posting, name))
    return replace(posting, needs_check=unread)


def _unread(posting: Posting, name: str) -> bool:
    value = getattr(posting, name)
    return value in ("", None, "unknown")
