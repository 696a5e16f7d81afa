"""Writes the inbound email fixtures (*.eml, real MIME) and expected.json next to this file.

Each message is an email an employer, an ATS or a job board sent, forwarded by the account's
owner (alice@example.com) the way a mail client forwards: Gmail, Outlook, Apple Mail, or as an
attached message. Run it again after changing a message: python tests/data/inbound/build.py
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path

HERE = Path(__file__).parent
OWNER = "alice@example.com"
FORWARDING = "k3x9v2m7q4w8z1ab@in.jobtrax.example"
CET = timezone(timedelta(hours=1))

# Marker lines and header labels of each client, per language.
GMAIL = {
    "en": ("---------- Forwarded message ---------", "From", "Date", "Subject", "To"),
    "de": ("---------- Weitergeleitete Nachricht ---------", "Von", "Date", "Subject", "To"),
    "fr": ("---------- Message transféré ---------", "De", "Date", "Subject", "To"),
    "es": ("---------- Mensaje reenviado ---------", "De", "Date", "Subject", "To"),
}
OUTLOOK = {
    "en": ("From", "Sent", "To", "Subject"),
    "de": ("Von", "Gesendet", "An", "Betreff"),
    "fr": ("De", "Envoyé", "À", "Objet"),
    "es": ("De", "Enviado", "Para", "Asunto"),
}
APPLE = {
    "en": ("Begin forwarded message:", "From", "Subject", "Date", "To"),
    "de": ("Anfang der weitergeleiteten Nachricht:", "Von", "Betreff", "Datum", "An"),
    "fr": ("Début du message réexpédié :", "De", "Objet", "Date", "À"),
    "es": ("Inicio del mensaje reenviado:", "De", "Asunto", "Fecha", "Para"),
}
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}  # fmt: skip


def gmail_date(when: datetime, lang: str) -> str:
    month = MONTHS[lang][when.month - 1]
    if lang == "en":
        hour = when.strftime("%I").lstrip("0")
        return f"{when:%a}, {month[:3]} {when.day}, {when.year} at {hour}:{when:%M} {when:%p}"
    if lang == "de":
        return f"{WEEKDAYS['de'][when.weekday()][:2]}., {when.day}. {month} {when.year} um {when:%H:%M} Uhr"
    if lang == "fr":
        short = [
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ][when.month - 1]
        return (
            f"{WEEKDAYS['fr'][when.weekday()][:3]}. {when.day} {short} {when.year} à {when:%H:%M}"
        )
    return f"{WEEKDAYS['es'][when.weekday()][:3]}, {when.day} {month[:3]} {when.year} a las {when:%H:%M}"


def outlook_date(when: datetime, lang: str) -> str:
    day, month = WEEKDAYS[lang][when.weekday()], MONTHS[lang][when.month - 1]
    if lang == "en":
        hour = when.strftime("%I").lstrip("0")
        return f"{day}, {month} {when.day}, {when.year} {hour}:{when:%M} {when:%p}"
    if lang == "de":
        return f"{day}, {when.day}. {month} {when.year} {when:%H:%M}"
    if lang == "fr":
        return f"{day} {when.day} {month} {when.year} {when:%H:%M}"
    return f"{day}, {when.day} de {month} de {when.year} {when:%H:%M}"


def apple_date(when: datetime, lang: str) -> str:
    month = MONTHS[lang][when.month - 1]
    if lang == "en":
        return f"{when.day} {month} {when.year} at {when:%H:%M:%S} CET"
    if lang == "de":
        return f"{when.day}. {month} {when.year} um {when:%H:%M:%S} MEZ"
    if lang == "fr":
        return f"{when.day} {month} {when.year} à {when:%H:%M:%S} UTC+1"
    return f"{when.day} de {month} de {when.year}, {when:%H:%M:%S} CET"


def html_of(text: str) -> str:
    from html import escape

    paragraphs = "".join(
        f"<p>{escape(block).replace(chr(10), '<br>')}</p>" for block in text.split("\n\n")
    )
    return f'<html><body><div dir="ltr">{paragraphs}</div></body></html>'


def original_message(spec: dict) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"{spec['name']} <{spec['sender']}>"
    message["To"] = f"Alice Martin <{OWNER}>"
    message["Subject"] = spec["subject"]
    message["Date"] = format_datetime(spec["date"])
    message["Message-ID"] = make_msgid(domain=spec["sender"].split("@")[1])
    if spec.get("reply_to"):
        message["Reply-To"] = spec["reply_to"]
    message.set_content(spec["body"], charset=spec.get("charset", "utf-8"))
    if spec.get("html", True):
        message.add_alternative(spec.get("html_body") or html_of(spec["body"]), subtype="html")
    return message


def forward(spec: dict) -> EmailMessage:
    lang, client, when = spec["lang"], spec["client"], spec["date"]
    note = spec.get("note", "")
    who = f"{spec['name']} <{spec['sender']}>"
    if client == "gmail":
        marker, f, d, s, t = GMAIL[lang]
        head = f"{marker}\n{f}: {who}\n{d}: {gmail_date(when, lang)}\n{s}: {spec['subject']}\n{t}: <{OWNER}>\n"
        prefix = "Fwd: "
    elif client == "outlook":
        f, d, t, s = OUTLOOK[lang]
        sender = f"{spec['name']} [mailto:{spec['sender']}]" if spec.get("mailto") else who
        head = f"________________________________\n{f}: {sender}\n{d}: {outlook_date(when, lang)}\n{t}: Alice Martin <{OWNER}>\n{s}: {spec['subject']}\n"
        prefix = {"en": "FW: ", "de": "WG: ", "fr": "TR: ", "es": "RV: "}[lang]
    elif client == "apple":
        marker, f, s, d, t = APPLE[lang]
        head = f"{marker}\n\n{f}: {who}\n{s}: {spec['subject']}\n{d}: {apple_date(when, lang)}\n{t}: Alice Martin <{OWNER}>\n"
        prefix = "Fwd: "
    else:
        head, prefix = "", "Fwd: "
    outer = EmailMessage()
    outer["From"] = spec.get("from_header", f"Alice Martin <{OWNER}>")
    outer["To"] = FORWARDING
    outer["Subject"] = prefix + spec["subject"]
    outer["Date"] = format_datetime(when + timedelta(hours=3))
    outer["Message-ID"] = make_msgid(domain="example.com")
    for name, value in spec.get("headers", {}).items():
        outer[name] = value
    if client == "attached":
        outer.set_content(note or "See the attached message.")
        outer.add_attachment(original_message(spec))
        return outer
    text = (note + "\n\n" if note else "") + head + "\n" + spec["body"]
    charset = spec.get("charset", "utf-8")
    cte = "quoted-printable" if client == "outlook" else None
    outer.set_content(text, charset=charset, cte=cte)
    if spec.get("html", True):
        from html import escape

        head_html = "<br>".join(escape(line) for line in head.splitlines())
        body_html = spec.get("html_body")
        inner = (
            body_html.split("<body>", 1)[-1].rsplit("</body>", 1)[0]
            if body_html
            else (html_of(spec["body"]).split("<body>", 1)[1].rsplit("</body>", 1)[0])
        )
        outer.add_alternative(
            f'<html><body><div>{escape(note)}</div><div class="fwd">{head_html}</div>'
            f"<blockquote>{inner}</blockquote></body></html>",
            subtype="html",
            charset=charset,
        )
    if spec.get("html_only"):
        html_part = outer.get_body(("html",))
        only = EmailMessage()
        for name, value in outer.items():
            if name.lower() not in ("content-type", "content-transfer-encoding", "mime-version"):
                only[name] = value
        only.set_content(html_part.get_content(), subtype="html")
        return only
    return outer


def when(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=CET)


# The jobs alice tracks in the accuracy test: (company, title, board id).
JOBS = [
    ("Acme Robotics", "Senior Backend Engineer", "4567890"),
    ("Northwind Analytics", "Data Engineer", ""),
    ("Globex Corporation", "Product Manager, Payments", "R-20931"),
    ("Initech GmbH", "Softwareentwickler Java (m/w/d)", ""),
    ("Hooli SAS", "Développeur Python", ""),
    ("Umbrella Salud S.L.", "Ingeniero de Datos", ""),
    ("Stark Industries", "Frontend Developer", ""),
    ("Wayne Logistik AG", "DevOps Engineer", ""),
    ("Soylent Foods", "QA Engineer", ""),
    ("Blue Sun SA", "Chef de projet digital", ""),
    ("Tyrell Systems", "Machine Learning Engineer", ""),
    ("Cyberdyne Ibérica", "Desarrollador Backend", ""),
]

MESSAGES: list[dict] = [
    dict(
        file="greenhouse_confirmation_en_gmail",
        lang="en",
        client="gmail",
        kind="confirmation",
        job="Acme Robotics",
        name="Acme Robotics Recruiting",
        sender="no-reply@us.greenhouse-mail.io",
        subject="Thank you for applying to Acme Robotics",
        date=when(3, 9, 14),
        body="Hi Alice,\n\nThanks for applying to Acme Robotics! Your application for the Senior "
        "Backend Engineer role has been received and our team will review it shortly.\n\n"
        "If your experience matches what we are looking for, a recruiter will reach out.\n\n"
        "Best,\nThe Acme Robotics Talent Team\n\n"
        "Powered by Greenhouse. Job ID 4567890.",
    ),
    dict(
        file="greenhouse_interview_en_outlook",
        lang="en",
        client="outlook",
        kind="interview",
        job="Acme Robotics",
        name="Priya Raman",
        sender="priya.raman@acmerobotics.com",
        subject="Interview invitation: Senior Backend Engineer",
        date=when(10, 16, 2),
        interview=datetime(2025, 3, 18, 14, 0),
        mailto=True,
        body="Hello Alice,\n\nThank you for your interest in Acme Robotics. We enjoyed reading "
        "your application and would like to invite you to an interview with our platform team.\n\n"
        "Would Tuesday, March 18, 2025 at 2:00 PM work for you? The call takes 45 minutes on "
        "Google Meet.\n\nKind regards,\nPriya Raman\nTechnical Recruiter, Acme Robotics",
    ),
    dict(
        file="lever_rejection_en_apple",
        lang="en",
        client="apple",
        kind="rejection",
        job="Northwind Analytics",
        name="Northwind Analytics",
        sender="no-reply@hire.lever.co",
        subject="Your application to Northwind Analytics",
        date=when(12, 11, 40),
        reply_to="talent@northwind-analytics.com",
        body="Hi Alice,\n\nThank you for taking the time to apply for the Data Engineer position "
        "at Northwind Analytics.\n\nAfter careful consideration, we have decided to move forward "
        "with other candidates whose experience more closely matches our needs at this time.\n\n"
        "We wish you the best in your search.\n\nNorthwind Analytics Recruiting",
    ),
    dict(
        file="lever_confirmation_en_gmail_htmlonly",
        lang="en",
        client="gmail",
        kind="confirmation",
        job="Northwind Analytics",
        name="Northwind Analytics",
        sender="no-reply@hire.lever.co",
        subject="Thanks for applying to Northwind Analytics",
        date=when(1, 20, 5),
        html_only=True,
        body="Hi Alice,\n\nWe have received your application for Data Engineer and will review it "
        "carefully.\n\nThanks again for your interest in Northwind Analytics.\n\n"
        "— The Northwind Analytics team",
    ),
    dict(
        file="workday_confirmation_en_attached",
        lang="en",
        client="attached",
        kind="confirmation",
        job="Globex Corporation",
        name="Globex Careers",
        sender="globex@myworkday.com",
        subject="Application Received - Product Manager, Payments (R-20931)",
        date=when(4, 8, 30),
        body="Dear Alice Martin,\n\nThank you for your application for the position of Product "
        "Manager, Payments (R-20931). We have received your application and it is now under "
        "review.\n\nYou can check the status of your application at any time in our candidate "
        "home.\n\nRegards,\nGlobex Talent Acquisition",
    ),
    dict(
        file="workday_assessment_en_outlook",
        lang="en",
        client="outlook",
        kind="assessment",
        job="Globex Corporation",
        name="Globex Careers",
        sender="globex@myworkday.com",
        subject="Next step: online assessment for R-20931",
        date=when(14, 10, 0),
        body="Dear Alice,\n\nAs a next step in the process for Product Manager, Payments, we "
        "invite you to complete an online assessment on HackerRank. The assessment takes about "
        "60 minutes and must be completed within 5 days.\n\nBest regards,\nGlobex Talent "
        "Acquisition",
    ),
    dict(
        file="personio_confirmation_de_gmail",
        lang="de",
        client="gmail",
        kind="confirmation",
        job="Initech GmbH",
        name="Initech GmbH",
        sender="jobs@initech.jobs.personio.de",
        subject="Ihre Bewerbung als Softwareentwickler Java (m/w/d)",
        date=when(5, 13, 22),
        body="Hallo Alice Martin,\n\nvielen Dank für Ihre Bewerbung als Softwareentwickler Java "
        "(m/w/d) und Ihr Interesse an der Initech GmbH. Hiermit bestätigen wir den Eingang "
        "Ihrer Bewerbung.\n\nWir melden uns so schnell wie möglich bei Ihnen.\n\n"
        "Mit freundlichen Grüßen\nIhr Initech Recruiting-Team",
    ),
    dict(
        file="personio_rejection_de_outlook",
        lang="de",
        client="outlook",
        kind="rejection",
        job="Initech GmbH",
        name="Initech GmbH",
        sender="jobs@initech.jobs.personio.de",
        subject="Ihre Bewerbung bei der Initech GmbH",
        date=when(19, 15, 45),
        charset="iso-8859-1",
        body="Hallo Frau Martin,\n\nnochmals vielen Dank für Ihr Interesse an unserem "
        "Unternehmen. Leider müssen wir Ihnen mitteilen, dass wir uns für andere Kandidaten "
        "entschieden haben und Ihre Bewerbung nicht weiter berücksichtigen können.\n\n"
        "Wir wünschen Ihnen für Ihre berufliche Zukunft alles Gute.\n\nMit freundlichen Grüßen\n"
        "Initech GmbH",
    ),
    dict(
        file="person_interview_de_apple",
        lang="de",
        client="apple",
        kind="interview",
        job="Wayne Logistik AG",
        name="Jonas Becker",
        sender="j.becker@wayne-logistik.de",
        subject="Einladung zum Vorstellungsgespräch – DevOps Engineer",
        date=when(6, 9, 5),
        interview=datetime(2025, 3, 12, 14, 0),
        body="Sehr geehrte Frau Martin,\n\nherzlichen Dank für Ihre Bewerbung als DevOps "
        "Engineer. Wir möchten Sie gerne persönlich kennenlernen und laden Sie zu einem "
        "Vorstellungsgespräch ein.\n\nPasst Ihnen Mittwoch, der 12. März 2025 um 14:00 Uhr in "
        "unserem Büro in Hamburg?\n\nViele Grüße\nJonas Becker\nWayne Logistik AG",
    ),
    dict(
        file="teamtailor_confirmation_fr_gmail",
        lang="fr",
        client="gmail",
        kind="confirmation",
        job="Hooli SAS",
        name="Hooli",
        sender="no-reply@teamtailor-mail.com",
        reply_to="recrutement@hooli.fr",
        subject="Nous avons bien reçu votre candidature",
        date=when(7, 18, 3),
        body="Bonjour Alice,\n\nMerci pour votre candidature au poste de Développeur Python chez "
        "Hooli. Nous avons bien reçu votre dossier et nous reviendrons vers vous rapidement.\n\n"
        "Belle journée,\nL'équipe Hooli",
    ),
    dict(
        file="teamtailor_rejection_fr_outlook",
        lang="fr",
        client="outlook",
        kind="rejection",
        job="Hooli SAS",
        name="Hooli",
        sender="no-reply@teamtailor-mail.com",
        reply_to="recrutement@hooli.fr",
        subject="Votre candidature chez Hooli",
        date=when(21, 10, 12),
        body="Bonjour Alice,\n\nNous vous remercions de l'intérêt que vous portez à Hooli. "
        "Malheureusement, nous avons décidé de ne pas donner suite à votre candidature pour le "
        "poste de Développeur Python.\n\nNous vous souhaitons pleine réussite dans vos "
        "recherches.\n\nL'équipe recrutement",
    ),
    dict(
        file="person_interview_fr_apple",
        lang="fr",
        client="apple",
        kind="interview",
        job="Blue Sun SA",
        name="Camille Dubois",
        sender="camille.dubois@bluesun.fr",
        subject="Entretien pour le poste de Chef de projet digital",
        date=when(11, 8, 50),
        interview=datetime(2025, 3, 20, 10, 30),
        body="Bonjour Alice,\n\nVotre profil a retenu notre attention et nous souhaiterions vous "
        "rencontrer pour un premier entretien.\n\nSeriez-vous disponible le jeudi 20 mars 2025 à "
        "10h30 dans nos locaux à Lyon ?\n\nBien cordialement,\nCamille Dubois\nResponsable RH, "
        "Blue Sun",
    ),
    dict(
        file="smartrecruiters_confirmation_es_gmail",
        lang="es",
        client="gmail",
        kind="confirmation",
        job="Umbrella Salud S.L.",
        name="Umbrella Salud",
        sender="umbrellasalud@smartrecruiters.com",
        subject="Hemos recibido tu candidatura: Ingeniero de Datos",
        date=when(2, 12, 0),
        body="Hola Alice,\n\nGracias por tu candidatura para el puesto de Ingeniero de Datos en "
        "Umbrella Salud. Hemos recibido tu solicitud y nuestro equipo la revisará en los "
        "próximos días.\n\nUn saludo,\nEquipo de Selección de Umbrella Salud",
    ),
    dict(
        file="smartrecruiters_rejection_es_outlook",
        lang="es",
        client="outlook",
        kind="rejection",
        job="Umbrella Salud S.L.",
        name="Umbrella Salud",
        sender="umbrellasalud@smartrecruiters.com",
        subject="Actualización sobre tu candidatura",
        date=when(24, 17, 30),
        body="Hola Alice,\n\nQueremos agradecerte el interés mostrado en el puesto de Ingeniero de "
        "Datos. Lamentablemente, hemos decidido continuar el proceso con otros candidatos cuyo "
        "perfil se ajusta más a lo que buscamos.\n\nTe deseamos mucho éxito.\n\nUmbrella Salud",
    ),
    dict(
        file="person_interview_es_gmail",
        lang="es",
        client="gmail",
        kind="interview",
        job="Cyberdyne Ibérica",
        name="Lucía Fernández",
        sender="lucia.fernandez@cyberdyne.es",
        subject="Entrevista - Desarrollador Backend",
        date=when(13, 9, 30),
        interview=datetime(2025, 3, 25, 11, 0),
        body="Hola Alice:\n\nHemos revisado tu candidatura para Desarrollador Backend y nos "
        "gustaría invitarte a una entrevista con el equipo técnico.\n\n¿Te vendría bien el "
        "martes 25 de marzo a las 11:00 por videollamada?\n\nUn saludo,\nLucía Fernández\n"
        "Cyberdyne Ibérica",
    ),
    dict(
        file="person_offer_en_gmail",
        lang="en",
        client="gmail",
        kind="offer",
        job="Stark Industries",
        name="Tony Chen",
        sender="tony.chen@starkindustries.com",
        subject="Offer - Frontend Developer",
        date=when(26, 14, 15),
        body="Hi Alice,\n\nOn behalf of the whole team, I am delighted to offer you the position "
        "of Frontend Developer at Stark Industries. Your offer letter with the details of salary "
        "and benefits is attached.\n\nPlease let us know by Friday.\n\nBest,\nTony",
    ),
    dict(
        file="person_offer_de_outlook",
        lang="de",
        client="outlook",
        kind="offer",
        job="Wayne Logistik AG",
        name="Jonas Becker",
        sender="j.becker@wayne-logistik.de",
        subject="Ihr Vertragsangebot als DevOps Engineer",
        date=when(27, 11, 0),
        body="Sehr geehrte Frau Martin,\n\nwir freuen uns sehr, Ihnen die Stelle als DevOps "
        "Engineer anbieten zu können. Anbei finden Sie unser Vertragsangebot.\n\n"
        "Mit freundlichen Grüßen\nJonas Becker",
    ),
    dict(
        file="person_offer_fr_gmail",
        lang="fr",
        client="gmail",
        kind="offer",
        job="Blue Sun SA",
        name="Camille Dubois",
        sender="camille.dubois@bluesun.fr",
        subject="Proposition d'embauche",
        date=when(28, 16, 40),
        body="Bonjour Alice,\n\nSuite à nos entretiens, nous avons le plaisir de vous proposer le "
        "poste de Chef de projet digital. Vous trouverez ci-joint notre promesse d'embauche.\n\n"
        "Bien à vous,\nCamille",
    ),
    dict(
        file="person_offer_es_apple",
        lang="es",
        client="apple",
        kind="offer",
        job="Cyberdyne Ibérica",
        name="Lucía Fernández",
        sender="lucia.fernandez@cyberdyne.es",
        subject="Oferta de trabajo - Desarrollador Backend",
        date=when(31, 12, 10),
        body="Hola Alice:\n\nNos alegra mucho ofrecerte el puesto de Desarrollador Backend en "
        "Cyberdyne Ibérica. Te adjuntamos la carta de oferta con todas las condiciones.\n\n"
        "Un abrazo,\nLucía",
    ),
    dict(
        file="personio_assessment_de_gmail",
        lang="de",
        client="gmail",
        kind="assessment",
        job="Initech GmbH",
        name="Initech GmbH",
        sender="jobs@initech.jobs.personio.de",
        subject="Nächster Schritt: Testaufgabe",
        date=when(11, 10, 10),
        body="Hallo Alice,\n\nals nächsten Schritt im Bewerbungsprozess für die Stelle "
        "Softwareentwickler Java senden wir Ihnen eine kleine Testaufgabe. Bitte schicken Sie "
        "uns Ihre Lösung innerhalb einer Woche.\n\nViele Grüße\nInitech Recruiting",
    ),
    dict(
        file="teamtailor_assessment_fr_apple",
        lang="fr",
        client="apple",
        kind="assessment",
        job="Hooli SAS",
        name="Hooli",
        sender="no-reply@teamtailor-mail.com",
        reply_to="recrutement@hooli.fr",
        subject="Test technique - Développeur Python",
        date=when(13, 9, 0),
        body="Bonjour Alice,\n\nPour la suite du processus, nous vous invitons à réaliser un test "
        "technique en ligne (environ 90 minutes) avant le 20 mars.\n\nL'équipe Hooli",
    ),
    dict(
        file="smartrecruiters_assessment_es_gmail",
        lang="es",
        client="gmail",
        kind="assessment",
        job="Umbrella Salud S.L.",
        name="Umbrella Salud",
        sender="umbrellasalud@smartrecruiters.com",
        subject="Siguiente paso: prueba técnica",
        date=when(9, 10, 0),
        body="Hola Alice,\n\nComo siguiente paso del proceso para Ingeniero de Datos, te "
        "invitamos a realizar una prueba técnica online. Tienes 3 días para completarla.\n\n"
        "Equipo de Selección",
    ),
    dict(
        file="smartrecruiters_interview_en_attached",
        lang="en",
        client="attached",
        kind="interview",
        job="Tyrell Systems",
        name="Tyrell Systems",
        sender="tyrellsystems@smartrecruiters.com",
        subject="Tyrell Systems would like to schedule an interview",
        date=when(15, 9, 20),
        interview=datetime(2025, 3, 21, 15, 30),
        body="Hi Alice,\n\nThe hiring team for Machine Learning Engineer would like to schedule "
        "an interview with you.\n\nProposed time: Friday, March 21, 2025 at 3:30 PM (CET).\n\n"
        "Please confirm your availability.\n\nTyrell Systems Recruiting",
    ),
    dict(
        file="person_rejection_en_outlook_latin1",
        lang="en",
        client="outlook",
        kind="rejection",
        job="Soylent Foods",
        name="Maria Lopez",
        sender="maria.lopez@soylentfoods.com",
        charset="windows-1252",
        subject="RE: QA Engineer application",
        date=when(17, 9, 10),
        body="Dear Alice,\n\nThank you for interviewing with us for the QA Engineer role. We "
        "regret to inform you that we will not be moving forward with your application – the "
        "team chose a candidate with more automation experience.\n\nKind regards,\nMaria López",
    ),
    dict(
        file="lever_interview_en_gmail",
        lang="en",
        client="gmail",
        kind="interview",
        job="Northwind Analytics",
        name="Northwind Analytics",
        sender="no-reply@hire.lever.co",
        reply_to="talent@northwind-analytics.com",
        subject="Let's schedule a call - Data Engineer",
        date=when(8, 15, 0),
        body="Hi Alice,\n\nThanks for your application to Northwind Analytics! We'd love to "
        "schedule a call to learn more about you. Please pick a time that suits you using the "
        "link below.\n\nhttps://hire.lever.co/interviews/schedule/abc123\n\nCheers,\nDana",
    ),
    dict(
        file="person_rejection_es_apple",
        lang="es",
        client="apple",
        kind="rejection",
        job="Cyberdyne Ibérica",
        name="Lucía Fernández",
        sender="lucia.fernandez@cyberdyne.es",
        subject="Tu candidatura en Cyberdyne",
        date=when(5, 9, 0, month=4),
        body="Hola Alice:\n\nLamentamos informarte de que en esta ocasión no has sido "
        "seleccionada para el puesto de Desarrollador Backend.\n\nGracias por tu tiempo.\n\nLucía",
    ),
    dict(
        file="person_rejection_fr_gmail",
        lang="fr",
        client="gmail",
        kind="rejection",
        job="Blue Sun SA",
        name="Camille Dubois",
        sender="camille.dubois@bluesun.fr",
        subject="Votre candidature - Chef de projet digital",
        date=when(2, 11, 0, month=4),
        body="Bonjour Alice,\n\nNous sommes au regret de vous informer que votre candidature n'a "
        "pas été retenue pour le poste de Chef de projet digital.\n\nCordialement,\nCamille",
    ),
    dict(
        file="person_confirmation_de_outlook",
        lang="de",
        client="outlook",
        kind="confirmation",
        job="Wayne Logistik AG",
        name="Wayne Logistik Karriere",
        sender="karriere@wayne-logistik.de",
        subject="Eingangsbestätigung Ihrer Bewerbung",
        date=when(2, 8, 0),
        body="Sehr geehrte Frau Martin,\n\nvielen Dank für Ihre Bewerbung als DevOps Engineer. "
        "Ihre Bewerbung ist bei uns eingegangen und wird derzeit geprüft.\n\n"
        "Mit freundlichen Grüßen\nPersonalabteilung",
    ),
]


def alert_html(cards: list[tuple[str, str, str, str]], layout: str, header: str) -> str:
    from html import escape

    if layout == "table":
        rows = "".join(
            f'<tr><td class="job"><a href="{escape(url)}" style="font-weight:bold">{escape(title)}</a>'
            f"<br><span>{escape(company)}</span><br><span>{escape(place)}</span></td></tr>"
            f'<tr><td><a href="{escape(url)}">Jetzt bewerben</a></td></tr>'
            for title, company, place, url in cards
        )
        body = f"<table><tr><td><h1>{escape(header)}</h1></td></tr>{rows}</table>"
    else:
        items = "".join(
            f'<div class="card"><div><a href="{escape(url)}"><span>{escape(title)}</span></a></div>'
            f"<div><p>{escape(company)} · {escape(place)}</p></div></div>"
            for title, company, place, url in cards
        )
        body = f'<div><h2>{escape(header)}</h2>{items}<p><a href="https://example.org/alerts">Manage alerts</a> · <a href="https://example.org/unsub">Unsubscribe</a></p></div>'
    return f"<html><body>{body}</body></html>"


ALERTS = [
    dict(
        file="linkedin_alert_en_gmail",
        lang="en",
        client="gmail",
        kind="alert",
        name="LinkedIn Job Alerts",
        sender="jobalerts-noreply@linkedin.com",
        subject="“backend engineer”: 3 new jobs in Berlin",
        date=when(16, 7, 0),
        cards=[
            (
                "Backend Engineer (Go)",
                "Zalando",
                "Berlin, Germany",
                "https://www.linkedin.com/comm/jobs/view/3901234567/?trk=eml",
            ),
            (
                "Senior Software Engineer, Platform",
                "N26",
                "Berlin (Hybrid)",
                "https://www.linkedin.com/comm/jobs/view/3901234568/?trk=eml",
            ),
            (
                "Python Developer",
                "Delivery Hero",
                "Berlin, Germany",
                "https://www.linkedin.com/comm/jobs/view/3901234569/?trk=eml",
            ),
        ],
        layout="cards",
        header="Your job alert for backend engineer",
    ),
    dict(
        file="stepstone_alert_de_outlook",
        lang="de",
        client="outlook",
        kind="alert",
        name="StepStone Jobagent",
        sender="jobagent@stepstone.de",
        subject="5 neue Jobs für Ihren Jobagenten",
        date=when(17, 6, 30),
        cards=[
            (
                "DevOps Engineer (m/w/d)",
                "Otto Group",
                "Hamburg",
                "https://www.stepstone.de/stellenangebote--DevOps-Engineer-Hamburg-Otto--11223344.html",
            ),
            (
                "Cloud Engineer AWS (m/w/d)",
                "Hapag-Lloyd AG",
                "Hamburg",
                "https://www.stepstone.de/stellenangebote--Cloud-Engineer-Hamburg-Hapag--11223345.html",
            ),
            (
                "Site Reliability Engineer",
                "XING",
                "Hamburg",
                "https://www.stepstone.de/stellenangebote--SRE-Hamburg-XING--11223346.html",
            ),
        ],
        layout="table",
        header="Neue Jobs für Sie",
    ),
    dict(
        file="wttj_alert_fr_apple",
        lang="fr",
        client="apple",
        kind="alert",
        name="Welcome to the Jungle",
        sender="hello@welcometothejungle.com",
        subject="Nouvelles offres qui pourraient vous plaire",
        date=when(18, 8, 0),
        cards=[
            (
                "Développeur Back-End Python",
                "Doctolib",
                "Paris",
                "https://www.welcometothejungle.com/fr/companies/doctolib/jobs/dev-back-python",
            ),
            (
                "Data Engineer",
                "BlaBlaCar",
                "Paris",
                "https://www.welcometothejungle.com/fr/companies/blablacar/jobs/data-engineer",
            ),
            (
                "Ingénieur DevOps",
                "Qonto",
                "Paris",
                "https://www.welcometothejungle.com/fr/companies/qonto/jobs/devops",
            ),
        ],
        layout="cards",
        header="Les offres de la semaine",
    ),
    dict(
        file="indeed_alert_es_gmail_text",
        lang="es",
        client="gmail",
        kind="alert",
        name="Indeed",
        sender="alert@indeed.com",
        html=False,
        subject="Nuevos empleos de ingeniero de datos en Madrid",
        date=when(19, 7, 15),
        text_cards=True,
        cards=[
            ("Ingeniero/a de Datos", "Glovo", "Madrid", "https://es.indeed.com/rc/clk?jk=a1b2c3"),
            ("Data Engineer Senior", "Cabify", "Madrid", "https://es.indeed.com/rc/clk?jk=d4e5f6"),
            ("Ingeniero Big Data", "BBVA", "Madrid", "https://es.indeed.com/rc/clk?jk=g7h8i9"),
        ],
        layout="text",
        header="Empleos para ti",
    ),
]


def build_alert(spec: dict) -> EmailMessage:
    spec = dict(spec)
    if spec.get("text_cards"):
        spec["body"] = (
            spec["header"]
            + "\n\n"
            + "\n\n".join(
                f"{title}\n{company} - {place}\n{url}"
                for title, company, place, url in spec["cards"]
            )
            + "\n\nDarse de baja: https://es.indeed.com/unsubscribe"
        )
    else:
        spec["html_body"] = alert_html(spec["cards"], spec["layout"], spec["header"])
        spec["body"] = (
            spec["header"]
            + "\n\n"
            + "\n\n".join(
                f"{title}\n{company} · {place}\n{url}"
                for title, company, place, url in spec["cards"]
            )
        )
    return forward(spec)


def hostile() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    # An unverified sender forwarding a real-looking rejection.
    spoof = dict(MESSAGES[2], from_header="Mallory <mallory@evil.example>")
    out["spoofed_unverified_sender"] = forward(spoof).as_bytes(policy=SMTP)
    # The owner's address, forged: the receiving server says DMARC failed.
    forged = dict(
        MESSAGES[2],
        headers={
            "Authentication-Results": "mx.jobtrax.example; spf=fail smtp.mailfrom=example.com; "
            "dkim=none; dmarc=fail header.from=example.com",
            "Received-SPF": "Fail (mailfrom) identity=mailfrom; client-ip=203.0.113.9",
        },
    )
    out["spoofed_dmarc_fail"] = forward(forged).as_bytes(policy=SMTP)
    # A charset that does not exist, and bytes that are not what they claim.
    broken = forward(dict(MESSAGES[0], html=False)).as_bytes(policy=SMTP)
    broken = broken.replace(b'charset="utf-8"', b'charset="x-no-such-charset"')
    out["broken_charset"] = broken
    lying = forward(dict(MESSAGES[7], html=False)).as_bytes(policy=SMTP)
    out["lying_charset"] = lying.replace(b"iso-8859-1", b"utf-8")
    # Forwards of forwards of forwards: the first sender is at the bottom.
    nested = dict(MESSAGES[2])
    body = nested["body"]
    for depth in range(6):
        marker = "---------- Forwarded message ---------"
        body = (
            f"fyi ({depth})\n\n{marker}\nFrom: Alice Martin <{OWNER}>\nDate: Thu, Mar 13, 2025 at "
            f"9:0{depth} AM\nSubject: Fwd: {nested['subject']}\nTo: <{OWNER}>\n\n{body}"
            if depth
            else f"{marker}\nFrom: {nested['name']} <{nested['sender']}>\nDate: Wed, Mar 12, 2025 "
            f"at 11:40 AM\nSubject: {nested['subject']}\nTo: <{OWNER}>\n\n{body}"
        )
    message = EmailMessage()
    message["From"] = f"Alice Martin <{OWNER}>"
    message["To"] = FORWARDING
    message["Subject"] = "Fwd: Fwd: Fwd: " + nested["subject"]
    message["Date"] = "Thu, 13 Mar 2025 10:00:00 +0100"
    message.set_content(body)
    out["nested_forwards"] = message.as_bytes(policy=SMTP)
    # A zip bomb attached to a plain confirmation: 50 MB of zeros in about 50 kB.
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cv.txt", b"\0" * 50_000_000)
    bomb = forward(dict(MESSAGES[0], html=False))
    bomb.add_attachment(data.getvalue(), maintype="application", subtype="zip", filename="cv.zip")
    out["zip_bomb_attachment"] = bomb.as_bytes(policy=SMTP)
    # Not an email at all, and a MIME tree that never closes.
    out["malformed_garbage"] = bytes(range(256)) * 20
    out["malformed_unclosed_multipart"] = (
        f"From: {OWNER}\r\nTo: {FORWARDING}\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        'Content-Type: multipart/alternative; boundary="c"\r\n\r\n--c\r\n'
        "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n"
    ).encode()
    return out


def main() -> None:
    expected = {}
    for spec in MESSAGES:
        (HERE / f"{spec['file']}.eml").write_bytes(forward(spec).as_bytes(policy=SMTP))
        expected[spec["file"]] = {
            "kind": spec["kind"], "lang": spec["lang"], "job": spec["job"],
            "interview": spec["interview"].isoformat() if spec.get("interview") else None,
            "date": spec["date"].isoformat(),
        }  # fmt: skip
    for spec in ALERTS:
        (HERE / f"{spec['file']}.eml").write_bytes(build_alert(spec).as_bytes(policy=SMTP))
        expected[spec["file"]] = {
            "kind": "alert", "lang": spec["lang"], "job": None,
            "postings": [[t, c] for t, c, _p, _u in spec["cards"]],
        }  # fmt: skip
    for name, raw in hostile().items():
        (HERE / f"{name}.eml").write_bytes(raw)
    payload = {"jobs": JOBS, "forwarding": FORWARDING, "owner": OWNER, "messages": expected}
    (HERE / "expected.json").write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
