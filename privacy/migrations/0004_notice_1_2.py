"""Version 1.2 of the privacy notice, a material change: importing jobs.

It says that an import by link makes JobTrax's servers fetch the page or the job board's public
API, sending only the posting's address; that the site sees JobTrax's address, not the user's;
and that nothing else is kept beyond the job the user saves. The job boards are listed as
recipients of the posting's address ({{ recipients }}, also on the processors page).

The body is the previous version's, with the new text added at its place, so this version
changes nothing else. As a material version, every signed-in user who joined before it sees the
banner until they acknowledge it, and the beat job `privacy-notice-email-resume` emails every
verified user once (see privacy.services). On a fresh install it is simply the current version.
"""

import datetime
import re

from django.db import migrations
from django.utils import timezone

NUMBER = "1.2"
EFFECTIVE = datetime.date(2026, 12, 1)
SUMMARY = (
    "Importing jobs: when you import a job by its link, our servers fetch that page or the job "
    "board's public API, sending only the posting's address. The site sees JobTrax's address, "
    "not yours, and nothing else is kept beyond the job you save."
)

IMPORTS = """### 1.3 Jobs you import

You can bring a job posting into your tracker by pasting its link, by pasting the page itself, or with the "Send to JobTrax" bookmarklet. You check what was found before anything is saved.

- **When you import by link**, JobTrax's servers fetch that page, or the job board's public API (for example Greenhouse, Lever or Ashby), sending only the posting's address. The site sees JobTrax's address, not yours: we send no cookies, no Referer and nothing about you. Our [importer's page]({{ site.url }}/jobs/import/fetcher/) explains what it fetches and its limits.
- **When you paste a page or use the bookmarklet**, nothing is fetched from the site: JobTrax reads only what you pasted, or what the bookmarklet sent from the page you were on.
- **Nothing else is kept beyond the job you save.** Once you confirm the job or discard it, the fetched page and what was found on it are deleted; an import you do neither with is deleted after {{ retention.import_previews }}. The addresses you import are not written to our request logs, error reports or audit trail.

"""

RECIPIENTS = """### 4.4 Job boards and sites you import from

When you import a job by its link, the job board's public API or the site that published the posting receives a request for that posting's address (URL) from JobTrax's servers, and nothing else about you. They are not our processors; the [processors page]({{ links.processors }}) lists them as a category of recipients of the posting's address:

{{ recipients }}

"""

RETENTION = (
    "- **Job imports**: what an import found is deleted when you confirm or discard it, and "
    "after {{ retention.import_previews }} otherwise; the jobs you save stay in your tracker "
    "until you delete them or your account.\n"
)


def _before_heading(body: str, pattern: str, text: str) -> str:
    """Insert `text` before the first heading matching `pattern`, else at the end."""
    match = re.search(pattern, body, flags=re.MULTILINE)
    if match is None:
        return body.rstrip("\n") + "\n\n" + text
    return body[: match.start()] + text + body[match.start() :]


def body_with_imports(body: str) -> str:
    body = _before_heading(body, r"^## 2\.", IMPORTS)
    body = _before_heading(body, r"^## 5\.", RECIPIENTS)
    supporting = re.search(r"^- \*\*Supporting records\*\*.*$", body, flags=re.MULTILINE)
    if supporting is not None:
        body = body[: supporting.end() + 1] + RETENTION + body[supporting.end() + 1 :]
    else:
        body = _before_heading(body, r"^## 7\.", RETENTION + "\n")
    return body


def publish(apps, schema_editor):
    NoticeVersion = apps.get_model("privacy", "NoticeVersion")
    if NoticeVersion.objects.filter(number=NUMBER).exists():
        return
    numbers = NoticeVersion.objects.filter(status="published").values_list("number", flat=True)
    if any(tuple(map(int, n.split("."))) > (1, 2) for n in numbers):
        return  # a later version is already in force; it carries its own text
    previous = (
        NoticeVersion.objects.filter(status="published").order_by("-published_at", "-pk").first()
    )
    if previous is None:
        return
    now = timezone.now()
    NoticeVersion.objects.create(
        number=NUMBER,
        effective_date=max(previous.effective_date, min(EFFECTIVE, now.date())),
        body=body_with_imports(previous.body),
        change_summary=SUMMARY,
        material=True,
        status="published",
        created_at=now,
        published_at=max(now, previous.published_at + datetime.timedelta(microseconds=1)),
    )


def unpublish(apps, schema_editor):
    NoticeVersion = apps.get_model("privacy", "NoticeVersion")
    version = NoticeVersion.objects.filter(number=NUMBER, status="published").first()
    if version is None:
        return
    for name in ("NoticeAcknowledgement", "NoticeDelivery", "NoticeSignup"):
        if apps.get_model("privacy", name).objects.filter(version=version).exists():
            return  # people were told about it or signed up under it: it stays
    version.delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_notice_1_1")]

    operations = [migrations.RunPython(publish, unpublish)]
