"""Version 1.5 of the privacy notice, a material change: the tracker's interviews, stages,
calendar feed, contacts and work-search record.

It says what the tracker now keeps (interviews, one's own stages, a private calendar feed and
its last fetch), that contacts on a job are other people's personal data (kept only with their
job, erased with it, never sent to the AI features unless included, marked in the export), what
discreet mode leaves out, and that the work-search record is built from one's own records and
the name typed on its form is not kept.

The body is the previous version's, with the new text added at its place, so this version
changes nothing else. As a material version, every signed-in user who joined before it sees the
banner until they acknowledge it, and the beat job `privacy-notice-email-resume` emails every
verified user once (see privacy.services). On a fresh install it is simply the current version.
"""

import datetime
import re

from django.db import migrations
from django.utils import timezone

NUMBER = "1.5"
EFFECTIVE = datetime.date(2026, 12, 6)
SUMMARY = (
    "Your job search in more depth: interviews with reminders, stages of your own, a private "
    "calendar feed you can revoke, contacts on a job (other people's data, kept only with "
    "their job), and a work-search record for unemployment offices built from your own records."
)

TRACKER = """### 1.4 Interviews, contacts, your calendar feed and your work-search record

- **Interviews** you add to a job (kind, time, place or link, with whom, notes, outcome) are kept with the job and deleted with it. A deleted interview is kept without its details for {{ retention.interview_tombstones }}, so calendar apps subscribed to your feed show it as cancelled. We email you a reminder before each interview unless you turn reminders off; times are shown in the time zone you choose.
- **Contacts on a job** (a name, a role, how to reach them, notes) are other people's personal data that you give us: add only what you need for your application, and tell them if the law where you live asks you to. They are kept only with their job and deleted with it, never sent to the AI features unless you include them yourself, and marked as other people's data in your export.
- **Your private calendar feed** is an address your calendar app reads. Anyone who has the address can read the feed, so keep it to yourself; you can replace or revoke it at any time, and it stops at once when you do, or when you restrict processing or delete your account. We keep when it was created and last fetched; its address is never written to our logs, and we store only a value from which it cannot be read back.
- **Discreet mode** leaves employer names and job titles out of reminder emails and your calendar feed ("Interview, 14:00"), for when others can see your inbox or calendar.
- **Your stages**: the names, order and phase of the stages of your board, kept until you delete your account.
- **The work-search record** is made from your own records, when you ask for it, as a PDF or CSV. The name you type on its form is printed on the PDF and not kept.

"""

RETENTION = (
    "- **Interviews, contacts and stages**: interviews and contacts are deleted with their job; "
    "a deleted interview's dated record after {{ retention.interview_tombstones }}; your "
    "stages and your calendar feed's record when you delete your account.\n"
)


def _before_heading(body: str, pattern: str, text: str) -> str:
    """Insert `text` before the first heading matching `pattern`, else at the end."""
    match = re.search(pattern, body, flags=re.MULTILINE)
    if match is None:
        return body.rstrip("\n") + "\n\n" + text
    return body[: match.start()] + text + body[match.start() :]


def body_with_tracker(body: str) -> str:
    body = _before_heading(body, r"^## 2\.", TRACKER)
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
    if any(tuple(map(int, n.split("."))) > (1, 5) for n in numbers):
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
        body=body_with_tracker(previous.body),
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
    dependencies = [("privacy", "0006_notice_1_4")]

    operations = [migrations.RunPython(publish, unpublish)]
