"""What a forwarded email is about: its kind (by keywords in English, German, French and
Spanish), the employer and job it concerns, a proposed interview time, and for job alerts the
postings it lists (recognised by their repeated structure, not by any site's exact HTML)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from inbox.dates import find_datetime
from inbox.models import SNIPPET_MAX, Kind
from inbox.parse import Original, html_tree

# Phrases, accents removed and lowercased, with a weight each.
PHRASES: dict[str, list[tuple[str, int]]] = {
    Kind.REJECTION: [
        ("unfortunately", 3), ("regret to inform", 4), ("not to move forward", 4),
        ("not be moving forward", 4), ("decided to move forward with other", 4),
        ("decided to pursue other candidates", 4), ("will not be progressing", 4),
        ("not been successful", 4), ("not selected", 3), ("other candidates whose", 3),
        ("decided not to proceed", 4), ("position has been filled", 3),
        ("move forward with another candidate", 4), ("not moving forward", 4),
        ("leider", 3), ("absage", 3), ("nicht berucksichtigen", 4), ("andere kandidat", 3),
        ("fur einen anderen", 3), ("nicht weiter", 2), ("nicht in die engere", 3),
        ("malheureusement", 3), ("ne pas donner suite", 4), ("pas retenue", 4),
        ("pas ete retenue", 4), ("pas retenu", 4), ("regret de vous informer", 4),
        ("autre candidat", 3), ("ne correspond pas", 2),
        ("lamentablemente", 3), ("desafortunadamente", 3), ("lamentamos informarte", 4),
        ("lamentamos informarle", 4), ("no ha sido seleccionad", 4),
        ("no has sido seleccionad", 4), ("otros candidatos", 3), ("no continuar", 3),
        ("no seguir adelante", 4), ("sentimos comunicarte", 4),
        ("other applicants", 3), ("another candidate", 3), ("won't be moving forward", 4),
        ("unable to offer you", 4), ("not a fit", 2), ("will not be proceeding", 4),
        ("not to proceed", 4), ("decided to go with", 2), ("no longer being considered", 4),
        ("nicht fur sie entschieden", 4), ("gegen ihre bewerbung", 4), ("gegen dich", 3),
        ("keine positive", 3), ("pas donner suite", 4), ("pas pu etre retenue", 4),
        ("no avanzar", 4), ("otro candidato", 3), ("no ha resultado", 3), ("no podemos", 2),
    ],
    Kind.INTERVIEW: [
        ("invite you to an interview", 5), ("invite you for an interview", 5),
        ("invite you to interview", 5), ("schedule an interview", 4), ("schedule a call", 4),
        ("schedule a time", 3), ("interview invitation", 5), ("like to meet you", 3),
        ("phone screen", 4), ("first interview", 3), ("interview with", 2),
        ("set up a call", 3), ("video call", 2), ("availability for", 2),
        ("invitation to interview", 5), ("next step", 1), ("speak with you", 2),
        ("vorstellungsgesprach", 5), ("einladung zum", 3), ("kennenlernen", 3),
        ("laden sie", 2), ("laden dich", 2), ("gesprach", 2), ("interview", 1),
        ("entretien", 4), ("vous rencontrer", 3), ("echange telephonique", 4),
        ("invitation a un", 3), ("convocation", 3),
        ("entrevista", 4), ("invitarte a", 3), ("invitarle a", 3), ("conocerte", 3),
        ("llamada", 2), ("invite you to a", 2), ("invite you for a", 2),
        ("available for a call", 3), ("next round", 3), ("meet the team", 3), ("calendly", 3),
        ("book a time", 3), ("pick a time", 3), ("chat with", 1), ("video interview", 4),
        ("einladung", 2), ("gesprachstermin", 4), ("terminvorschlag", 3), ("rendez-vous", 3),
        ("vos disponibilites", 3), ("tu disponibilidad", 3), ("su disponibilidad", 3),
        ("reunion", 2),
    ],
    Kind.OFFER: [
        ("pleased to offer you", 6), ("offer letter", 5), ("job offer", 4),
        ("extend an offer", 6), ("offer of employment", 6), ("happy to offer", 5),
        ("delighted to offer", 6), ("offer you the position", 6),
        ("vertragsangebot", 6), ("arbeitsvertrag", 4), ("angebot machen", 5),
        ("zusage", 4), ("ihnen die stelle anbieten", 6), ("dir die stelle anbieten", 6),
        ("proposition d'embauche", 6), ("promesse d'embauche", 6), ("offre d'emploi pour", 2),
        ("vous proposer le poste", 6), ("lettre d'offre", 6),
        ("oferta de trabajo", 5), ("oferta de empleo", 5), ("ofrecerte el puesto", 6),
        ("ofrecerle el puesto", 6), ("carta de oferta", 6),
    ],
    Kind.ASSESSMENT: [
        ("assessment", 3), ("coding challenge", 5), ("take-home", 5), ("take home", 4),
        ("technical test", 5), ("online test", 4), ("codility", 5), ("hackerrank", 5),
        ("codesignal", 5), ("home assignment", 5), ("case study", 3),
        ("testaufgabe", 5), ("fallstudie", 4), ("online-test", 4), ("probeaufgabe", 5),
        ("test technique", 5), ("exercice technique", 5), ("etude de cas", 4),
        ("prueba tecnica", 5), ("caso practico", 4), ("evaluacion", 3),
    ],
    Kind.CONFIRMATION: [
        ("thank you for applying", 4), ("thanks for applying", 4),
        ("received your application", 4), ("thank you for your application", 3),
        ("application has been received", 4), ("application was received", 4),
        ("thank you for your interest", 2), ("successfully submitted", 4),
        ("we will review", 2), ("application received", 4), ("we have received", 3),
        ("vielen dank fur ihre bewerbung", 4), ("vielen dank fur deine bewerbung", 4),
        ("bewerbung erhalten", 4), ("eingang ihrer bewerbung", 4),
        ("bewerbung ist bei uns eingegangen", 4), ("eingangsbestatigung", 4),
        ("merci pour votre candidature", 4), ("bien recu votre candidature", 4),
        ("candidature a bien ete", 4), ("accuse de reception", 3),
        ("gracias por tu candidatura", 4), ("gracias por su candidatura", 4),
        ("hemos recibido tu", 4), ("hemos recibido su", 4), ("gracias por postularte", 4),
        ("gracias por tu solicitud", 4), ("thanks for your application", 3),
        ("application has been submitted", 4), ("application was submitted", 4),
        ("we got your application", 4), ("danke fur ihre bewerbung", 4),
        ("danke fur deine bewerbung", 4), ("bewerbung ist eingegangen", 4),
        ("candidature a ete transmise", 4), ("candidatura ha sido enviada", 4),
        ("candidatura ha sido recibida", 4),
    ],
}  # fmt: skip
# When two kinds score alike, the one listed first wins: an offer or a rejection is the news
# in a mail that also thanks for the application.
PRIORITY = [Kind.OFFER, Kind.REJECTION, Kind.INTERVIEW, Kind.ASSESSMENT, Kind.CONFIRMATION]
STAGE_FOR = {
    Kind.CONFIRMATION: "applied",
    Kind.REJECTION: "rejected",
    Kind.INTERVIEW: "interviewing",
    Kind.ASSESSMENT: "interviewing",
    Kind.OFFER: "offer",
}
ALERT_SENDERS = (
    "linkedin.com", "indeed.com", "indeed.de", "indeedemail.com", "stepstone.de", "stepstone.com",
    "glassdoor.com", "welcometothejungle.com", "wttj.co", "xing.com", "monster.com",
    "monster.de", "infojobs.net", "apec.fr", "hellowork.com", "ziprecruiter.com",
    "jobs.ch", "karriere.at", "dice.com", "otta.com", "wellfound.com", "jobteaser.com",
)  # fmt: skip
ALERT_WORDS = (
    "job alert", "jobs for you", "new jobs", "jobs you may", "recommended jobs", "jobagent",
    "job-alert", "jobalarm", "neue jobs", "passende jobs", "stellenangebote", "alerte",
    "offres d'emploi", "nouvelles offres", "empleos", "ofertas de empleo", "alerta",
    "jobs matching", "new job matches", "nouveaux jobs",
)  # fmt: skip
ATS_DOMAINS = (
    "greenhouse.io", "greenhouse-mail.io", "lever.co", "myworkday.com", "myworkdayjobs.com",
    "workday.com", "smartrecruiters.com", "personio.de", "personio.com", "teamtailor.com",
    "teamtailor-mail.com", "ashbyhq.com", "recruitee.com", "workablemail.com", "workable.com",
    "bamboohr.com", "jobvite.com", "icims.com", "successfactors.com", "taleo.net",
    "breezy.hr", "join.com", "softgarden.de", "rexx-systems.com", "d.vinci.de", "welcomekit.co",
)  # fmt: skip
GENERIC_LOCAL = {
    "no-reply", "noreply", "do-not-reply", "donotreply", "jobs", "careers", "career",
    "recruiting", "recruitment", "talent", "hr", "hiring", "notifications", "notification",
    "mail", "info", "team", "apply", "applications", "bewerbung", "karriere", "candidates",
    "recrutement", "empleo", "rrhh", "people", "reply", "application",
}  # fmt: skip
COMPANY_SUFFIXES = {
    "inc", "inc.", "llc", "ltd", "ltd.", "limited", "gmbh", "ag", "se", "sa", "sas", "sarl",
    "sl", "s.l.", "s.a.", "bv", "b.v.", "nv", "plc", "co", "co.", "corp", "corp.",
    "corporation", "company", "group", "kg", "ug", "oy", "ab", "as", "spa", "srl", "the",
    "gmbh & co. kg", "&",
}  # fmt: skip
GENERIC_NAME_WORDS = {
    "team", "hiring", "recruiting", "recruitment", "talent", "acquisition", "careers",
    "jobs", "hr", "people", "via", "at", "no-reply", "noreply", "bewerbermanagement",
    "recrutement", "equipo", "de", "seleccion", "personal", "karriere", "von", "du",
}  # fmt: skip


COMBINING = re.compile("[\u0300-\u036f]+")


def plain(text: str) -> str:
    """Lowercase, accents removed: "Bewerbung für" and "bewerbung fur" compare equal."""
    text = text.lower()
    if text.isascii():
        return text
    return COMBINING.sub("", unicodedata.normalize("NFKD", text))


def normalise_company(name: str) -> str:
    words = [w.strip(",.()") for w in plain(name).replace("-", " ").split()]
    words = [w for w in words if w and w not in COMPANY_SUFFIXES]
    return " ".join(words)


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower() if "@" in address else ""


def _registered(domain: str) -> str:
    """acme from careers.acme.co.uk; a rough public-suffix cut, enough to name an employer."""
    parts = [p for p in domain.split(".") if p]
    if len(parts) >= 3 and parts[-2] in {"co", "com", "org", "net", "ac", "gov"}:
        parts = parts[:-1]
    return parts[-2] if len(parts) >= 2 else (parts[0] if parts else "")


def is_ats(domain: str) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in ATS_DOMAINS)


def is_alert_sender(domain: str) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in ALERT_SENDERS)


@dataclass
class Reading:
    kind: str = ""
    score: int = 0
    employer_hints: list[str] = field(default_factory=list)
    snippet: str = ""
    interview_at: datetime | None = None
    postings: list[dict] = field(default_factory=list)


def classify(subject: str, text: str) -> tuple[str, int]:
    haystack = plain(subject + "\n" + text[:6000])
    haystack = " ".join(haystack.split())
    scores = {}
    for kind, phrases in PHRASES.items():
        scores[kind] = sum(weight for phrase, weight in phrases if phrase in haystack)
    best = max(PRIORITY, key=lambda k: (scores[k], -PRIORITY.index(k)))
    # A rejection that thanks for the interview is still a rejection: a strong rejection
    # phrase wins over anything but a plain offer.
    if scores[Kind.REJECTION] >= 4 and scores[Kind.OFFER] < 5:
        best = Kind.REJECTION
    return (best, scores[best]) if scores[best] >= 3 else ("", 0)


def employer_hints(found: Original) -> list[str]:
    """Names the employer may go by: the sender's domain (unless an ATS or a mail provider),
    an ATS sender's subdomain or local part, the sender's display name."""
    hints: list[str] = []
    domain = domain_of(found.sender)
    local = found.sender.split("@", 1)[0] if "@" in found.sender else ""
    if domain and not is_ats(domain) and not is_alert_sender(domain):
        if domain not in FREEMAIL:
            hints.append(_registered(domain))
    elif domain:
        sub = domain[: -len(_ats_root(domain))].strip(".") if _ats_root(domain) else ""
        for piece in sub.split("."):
            if piece and piece not in {"hire", "mail", "jobs", "us", "eu", "wd1", "wd3", "wd5"}:
                hints.append(piece)
        if local and local.lower() not in GENERIC_LOCAL:
            hints.append(local.split("+")[0])
    for address in found.reply_to:
        reply_domain = domain_of(address)
        if reply_domain and not is_ats(reply_domain) and reply_domain not in FREEMAIL:
            hints.append(_registered(reply_domain))
    name_words = [
        w for w in found.sender_name.replace("|", " ").replace("@", " ").split()
        if plain(w) not in GENERIC_NAME_WORDS
    ]  # fmt: skip
    if name_words and domain not in FREEMAIL:
        hints.append(" ".join(name_words))
    return [h for h in dict.fromkeys(normalise_company(h) for h in hints) if h]


def _ats_root(domain: str) -> str:
    for root in ATS_DOMAINS:
        if domain == root or domain.endswith("." + root):
            return root
    return ""


FREEMAIL = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
    "icloud.com", "me.com", "gmx.de", "gmx.net", "web.de", "t-online.de", "orange.fr",
    "free.fr", "laposte.net", "proton.me", "protonmail.com", "yahoo.fr", "yahoo.es",
    "hotmail.fr", "hotmail.es", "wanadoo.fr", "aol.com", "mail.com", "posteo.de",
}  # fmt: skip


def snippet(text: str, kind: str) -> str:
    """The sentence the person needs to decide, at most SNIPPET_MAX characters: the one
    holding the strongest phrase of the kind, else the first real line."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if len(line) > 15 and not line.startswith(">")]
    phrases = sorted(PHRASES.get(kind, []), key=lambda p: -p[1])
    for phrase, _weight in phrases:
        for line in lines:
            if phrase in plain(line):
                return _sentence(line, phrase)
    return ""


def _sentence(line: str, phrase: str) -> str:
    """Only the sentence that holds the phrase, not the whole paragraph."""
    for sentence in SENTENCE_END.split(line):
        if phrase in plain(sentence):
            return sentence.strip()[:SNIPPET_MAX]
    return line[:SNIPPET_MAX]


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def interview_time(text: str, reference: datetime | None) -> datetime | None:
    """A plainly stated date and time in an invitation ("on Tuesday, March 11 at 2:00 PM",
    "am 12. März um 14:00 Uhr", "le 12 mars à 14h00", "el 12 de marzo a las 10:30")."""
    for line in text.splitlines()[:200]:
        if len(line) > 400:
            continue
        found = find_datetime(line, reference=reference, need_time=True)
        if found is not None:
            return found
    return None


def read(found: Original) -> Reading:
    reading = Reading()
    domain = domain_of(found.sender)
    kind, score = classify(found.subject, found.text)
    subject_plain = plain(found.subject)
    alertish = is_alert_sender(domain) or any(w in subject_plain for w in ALERT_WORDS)
    if alertish or not kind:
        postings = alert_postings(found)
        if len(postings) >= 2 or (alertish and postings):
            reading.kind, reading.postings = Kind.ALERT, postings
            reading.snippet = found.subject[:SNIPPET_MAX]
            return reading
    reading.kind, reading.score = kind, score
    if not kind:
        posting = forwarded_posting(found)
        if posting:
            reading.kind, reading.postings = Kind.ALERT, [posting]
            reading.snippet = posting["title"][:SNIPPET_MAX]
        return reading
    reading.employer_hints = employer_hints(found)
    reading.snippet = snippet(found.text, kind)
    if kind == Kind.INTERVIEW:
        reading.interview_at = interview_time(found.text, found.date)
    return reading


# Job alerts and postings -------------------------------------------------------------------------

POSTING_WORDS = (
    "responsibilities", "requirements", "qualifications", "what you'll do", "about the role",
    "what we offer", "your profile", "ihre aufgaben", "ihr profil", "deine aufgaben",
    "dein profil", "wir bieten", "vos missions", "votre profil", "profil recherche",
    "missions", "requisitos", "responsabilidades", "funciones", "ofrecemos", "tu perfil",
    "job description", "stellenbeschreibung", "description du poste", "descripcion del puesto",
)  # fmt: skip
SUBJECT_PREFIXES = ("fwd:", "fw:", "wg:", "tr:", "rv:", "re:", "aw:", "enc:")


def forwarded_posting(found: Original) -> dict | None:
    """A forwarded job posting (not a reply about an application): its subject as the title,
    its text as the description, for the person to check in the import preview."""
    haystack = plain(found.text[:20_000])
    if sum(1 for word in POSTING_WORDS if word in haystack) < 2:
        return None
    title = found.subject.strip()
    while title.lower().startswith(SUBJECT_PREFIXES):
        title = title.split(":", 1)[1].strip()
    url = URL_IN_TEXT.search(found.text[:20_000])
    hints = employer_hints(found)
    return {
        "title": title[:200],
        "company": hints[0].title() if hints else "",
        "location": "",
        "url": url.group(0).rstrip(".,>") if url else "",
        "description": found.text[:20_000],
    }


NOT_A_JOB = (
    "unsubscribe", "view all", "see all", "manage", "settings", "privacy", "help", "app",
    "download", "abmelden", "desabonner", "desinscribir", "darse de baja", "preferences",
    "more jobs", "alle jobs", "voir toutes", "ver todas", "search", "suche", "apply now",
    "jetzt bewerben", "postuler", "aplicar", "inscribete", "view job", "voir l'offre",
    "ver oferta", "job ansehen", "mehr anzeigen", "save", "terms", "linkedin", "indeed",
    "glassdoor", "stepstone", "welcome to the jungle", "unsubscribe from", "feedback",
)  # fmt: skip


def _good_title(text: str) -> bool:
    low = plain(text)
    if not 3 <= len(text) <= 120 or "@" in text or low.startswith("http"):
        return False
    return not any(low == w or low.startswith(w) for w in NOT_A_JOB)


def _signature(element) -> str:
    path = []
    node = element
    for _ in range(6):
        parent = node.getparent()
        if parent is None:
            break
        path.append(str(node.tag))
        node = parent
    return "/".join(path)


def _block_of(anchor):
    """The smallest ancestor of a link that holds more text than the link: its posting card."""
    own = " ".join(anchor.text_content().split())
    node = anchor
    for _ in range(6):
        parent = node.getparent()
        if parent is None:
            break
        node = parent
        text = " ".join(node.text_content().split())
        if len(text) > len(own) + 3:
            return node
    return node


def _card_lines(block, title: str) -> list[str]:
    lines = []
    for piece in block.itertext():
        piece = " ".join(piece.split())
        if piece and piece != title and piece not in lines and len(piece) < 120:
            lines.append(piece)
    return lines


def alert_postings(found: Original) -> list[dict]:
    """Postings listed in an alert: links that share one position in the page's structure,
    each with its card's next lines as company and location. Falls back to the text form."""
    tree = html_tree(found.html) if found.html else None
    groups: dict[str, list] = {}
    if tree is not None:
        for anchor in list(tree.iter("a"))[:2000]:
            href = (anchor.get("href") or "").strip()
            title = " ".join(anchor.text_content().split())
            if href.startswith(("http://", "https://")) and _good_title(title):
                groups.setdefault(_signature(anchor), []).append((anchor, title, href))
    best = max(groups.values(), key=len, default=[])
    postings: list[dict] = []
    seen: set[str] = set()
    if len(best) >= 2:
        for anchor, title, href in best[:50]:
            if title in seen:
                continue
            seen.add(title)
            lines = [line for line in _card_lines(_block_of(anchor), title) if _good_title(line)]
            postings.append(_posting(title, lines, href))
        return postings
    return _text_postings(found.text)


URL_IN_TEXT = re.compile(r"https?://[^\s<>()\"']{4,2000}")


def _text_postings(text: str) -> list[dict]:
    """A plain-text alert: blocks separated by blank lines, each a title line, one or two
    detail lines and a link."""
    postings: list[dict] = []
    blocks = re.split(r"\n\s*\n", text[:100_000])
    for block in blocks[:300]:
        lines = [line.strip(" -*•\t") for line in block.splitlines() if line.strip(" -*•\t")]
        urls = [m.group(0) for line in lines for m in [URL_IN_TEXT.search(line)] if m]
        words = [line for line in lines if not URL_IN_TEXT.search(line)]
        words = [line for line in words if _good_title(line)]
        if urls and 1 <= len(words) <= 4:
            postings.append(_posting(words[0], words[1:], urls[0].rstrip(".,>")))
        if len(postings) >= 50:
            break
    return postings if len(postings) >= 2 else []


def _posting(title: str, lines: list[str], href: str) -> dict:
    parts = [p.strip() for line in lines[:2] for p in line.replace("·", "|").split("|")]
    parts = [p for p in parts if p]
    company = parts[0] if parts else ""
    location = parts[1] if len(parts) > 1 else ""
    if " - " in company and not location:
        company, location = (p.strip() for p in company.split(" - ", 1))
    split = urlsplit(href)
    url = f"{split.scheme}://{split.netloc}{split.path}" if split.netloc else ""
    return {"title": title[:200], "company": company[:200], "location": location[:200], "url": url}
