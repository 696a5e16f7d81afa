"""The work-search record: every application in a date range, for an unemployment office
(Germany's Bewerbungsnachweis for the Arbeitsagentur or Jobcenter, a US state's work-search
log, the UK's Universal Credit work search record), as a table, a CSV and a PDF.

The PDF is built directly with fpdf2, pure Python: WeasyPrint would render the page's HTML
but needs Pango and other system libraries in every image. A Unicode TrueType font is used
when one is found (WORK_SEARCH_PDF_FONT); without one, the PDF's built-in Helvetica shows
what Latin-1 can, and any other character as "?".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from jobs.models import AppliedVia, Interview, Job, Phase
from jobs.stages import stage_map

NAME_MAX = 120
MAX_DAYS = 400

_VIA = {
    "de": {
        AppliedVia.ONLINE: "online",
        AppliedVia.EMAIL: "per E-Mail",
        AppliedVia.IN_PERSON: "persönlich",
        AppliedVia.POST: "schriftlich (Post)",
        AppliedVia.PHONE: "telefonisch",
    },
}
_OUTCOME_DE = {
    Phase.SAVED: "offen",
    Phase.APPLIED: "offen, keine Antwort",
    Phase.INTERVIEWING: "Vorstellungsgespräch",
    Phase.OFFER: "Angebot",
    Phase.CLOSED_WON: "Zusage / eingestellt",
    Phase.CLOSED_LOST: "Absage / beendet",
}


@dataclass(frozen=True)
class Layout:
    code: str
    label: str
    title: str
    headings: tuple[str, ...]
    statement: str  # "{name}", "{start}", "{end}" filled in
    period: str
    date_format: str


LAYOUTS = {
    "de": Layout(
        "de",
        "Germany: Bewerbungsnachweis (Arbeitsagentur, Jobcenter)",
        "Nachweis über Eigenbemühungen (Bewerbungsnachweis)",
        (
            "Datum der Bewerbung",
            "Arbeitgeber",
            "Stelle / Tätigkeit",
            "Art der Bewerbung",
            "Quelle des Stellenangebots",
            "Ansprechpartner",
            "Ergebnis",
            "Datum des Ergebnisses",
        ),
        "Erstellt von {name} aus den eigenen Aufzeichnungen mit JobTrax am {today}.",
        "Zeitraum: {start} bis {end}",
        "%d.%m.%Y",
    ),
    "us": Layout(
        "us",
        "United States: state work-search log",
        "Work Search Record",
        (
            "Date of contact",
            "Employer name",
            "Position applied for",
            "Method of contact",
            "How I found it",
            "Contact person",
            "Result",
            "Result date",
        ),
        "Prepared by {name} from their own records, kept with JobTrax, on {today}.",
        "Period: {start} to {end}",
        "%m/%d/%Y",
    ),
    "uk": Layout(
        "uk",
        "United Kingdom: Universal Credit work search record",
        "Work search record",
        (
            "Date",
            "Employer",
            "Job title",
            "How I applied",
            "Where I found it",
            "Contact",
            "Outcome",
            "Outcome date",
        ),
        "Prepared by {name} from their own records, kept with JobTrax, on {today}.",
        "Period: {start} to {end}",
        "%d/%m/%Y",
    ),
}


@dataclass(frozen=True)
class Entry:
    applied_on: date
    employer: str
    position: str
    via: str
    channel: str
    contact: str
    outcome: str
    outcome_on: date | None


def _channel(job: Job) -> str:
    """Where the posting was found: the channel, and the job board when there is one."""
    label = job.channel_display
    return f"{label} ({job.board})" if job.board else label


def entries(user, *, start: date, end: date, layout: str = "uk") -> list[Entry]:
    """Every application dated in [start, end], archived ones too: three queries."""
    stages = stage_map(user)
    jobs = (
        Job.objects.filter(user=user, applied_on__gte=start, applied_on__lte=end)
        .defer("description")
        .prefetch_related(
            Prefetch(
                "interviews",
                queryset=Interview.objects.filter(cancelled_at__isnull=True).only(
                    "pk", "job_id", "with_whom", "starts_at"
                ),
            )
        )
        .order_by("applied_on", "pk")
    )
    found = []
    via_names = _VIA.get(layout, dict(AppliedVia.choices))
    for job in jobs:
        phase = stages.phase_of(job.stage)
        if layout == "de":
            outcome = _OUTCOME_DE.get(phase, "")
        else:
            outcome = (
                "No answer yet"
                if phase in (Phase.SAVED, Phase.APPLIED)
                else stages.names.get(job.stage, job.get_stage_display())
            )
        contact = next((i.with_whom for i in job.interviews.all() if i.with_whom), "")
        answered = phase not in (Phase.SAVED, Phase.APPLIED)
        found.append(
            Entry(
                applied_on=job.applied_on,
                employer=job.company,
                position=job.title,
                via=via_names.get(job.applied_via, "") if job.applied_via else "",
                channel=_channel(job),
                contact=contact,
                outcome=outcome,
                outcome_on=timezone.localdate(job.stage_changed_at) if answered else None,
            )
        )
    return found


def cells(entry: Entry, layout: Layout) -> list[str]:
    fmt = layout.date_format
    return [
        entry.applied_on.strftime(fmt),
        entry.employer,
        entry.position,
        entry.via,
        entry.channel,
        entry.contact,
        entry.outcome,
        entry.outcome_on.strftime(fmt) if entry.outcome_on else "",
    ]


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def as_csv(rows: list[Entry], layout: Layout) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(layout.headings)
    for entry in rows:
        writer.writerow([_safe(cell) for cell in cells(entry, layout)])
    return out.getvalue()


def _font_path() -> Path | None:
    configured = getattr(settings, "WORK_SEARCH_PDF_FONT", "")
    path = Path(configured) if configured else None
    return path if path is not None and path.is_file() else None


def as_pdf(rows: list[Entry], layout: Layout, *, name: str, start: date, end: date,
           paper: str = "A4") -> bytes:  # fmt: skip
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="landscape", unit="mm", format="A4" if paper == "A4" else "Letter")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(10, 10, 10)
    font = _font_path()
    if font is not None:
        pdf.add_font("Body", "", str(font))
        family = "Body"

        def text(value: str) -> str:
            return value
    else:
        family = "Helvetica"

        def text(value: str) -> str:
            return value.encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    fmt = layout.date_format
    pdf.set_font(family, size=15)
    pdf.cell(0, 9, text(layout.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=10)
    pdf.cell(0, 6, text(name), new_x="LMARGIN", new_y="NEXT")
    period = layout.period.format(start=start.strftime(fmt), end=end.strftime(fmt))
    pdf.cell(0, 6, text(period), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, size=8)
    with pdf.table(
        col_widths=(10, 18, 20, 11, 12, 13, 13, 10),
        text_align="LEFT",
        line_height=4.5,
        repeat_headings=1,
        headings_style=FontFace(emphasis="", fill_color=(225, 225, 225)),
    ) as table:
        heading = table.row()
        for cell in layout.headings:
            heading.cell(text(cell))
        for entry in rows:
            row = table.row()
            for cell in cells(entry, layout):
                row.cell(text(cell))
    pdf.ln(4)
    pdf.set_font(family, size=9)
    today = timezone.localdate().strftime(fmt)
    pdf.multi_cell(0, 5, text(layout.statement.format(name=name, today=today)))
    return bytes(pdf.output())
