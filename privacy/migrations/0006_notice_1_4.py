"""Version 1.4 of the privacy notice, a material change: emails you forward.

It says what JobTrax reads in an email forwarded to a person's private forwarding address, what
it keeps (a proposal: the job, the proposed stage, the email's date, the sender's domain and
up to 300 characters of text) and for how long ({{ retention.email_proposals }}), and that the
email itself is never stored. The feature is off until a person turns it on; the banner and the
one email every verified user receives make sure those who do have seen it.

The body is the previous version's with the new text added at its place, so this version
changes nothing else. On a fresh install it is simply the current version.
"""

import datetime
import re

from django.db import migrations
from django.utils import timezone

NUMBER = "1.4"
EFFECTIVE = datetime.date(2026, 12, 6)
SUMMARY = (
    "Forwarding emails: if you turn on your forwarding address, JobTrax reads the emails you "
    "forward to it in memory, keeps only the update it proposes (the job, the stage, the "
    "email's date, the sender's domain and up to 300 characters), and never stores the email."
)

FORWARDS = """### 1.4 Emails you forward

You can turn on a private forwarding address and forward the emails you choose (an application confirmation, a rejection, an interview invitation, an offer, a job alert). It is off until you turn it on, and you can replace it or turn it off at any time; JobTrax never reads your mailbox.

- **Who may send:** only your own verified email addresses. Anything else sent to the address is dropped without a reply, and only counted (no address is kept). Where the mail service reports that a message failed SPF, DKIM or DMARC checks, it is dropped the same way. Each email may be up to 1 MB, and only so many a day are read; attachments are never opened or kept.
- **What is read:** the email's sender, date, subject and text, and the message you forwarded inside it, in memory only.
- **What is kept:** a proposal, and nothing else: the job it matched, the stage it proposes (or the jobs a job alert lists, for you to pick from), the original email's date, the sender's domain (not the address), a proposed interview time, and up to 300 characters of the text so you can decide. The email itself is never stored: not in our database, task queue, files, logs or error reports.
- **How long:** nothing changes until you confirm. A proposal you neither confirm nor dismiss is deleted after {{ retention.email_proposals }}; a confirmed one becomes your job's stage history, without the text.

"""

RETENTION = (
    "- **Proposals from forwarded emails**: deleted when you confirm or dismiss them, and after "
    "{{ retention.email_proposals }} otherwise; the emails themselves are never kept.\n"
)


def _before_heading(body: str, pattern: str, text: str) -> str:
    match = re.search(pattern, body, flags=re.MULTILINE)
    if match is None:
        return body.rstrip("\n") + "\n\n" + text
    return body[: match.start()] + text + body[match.start() :]


def body_with_forwards(body: str) -> str:
    body = _before_heading(body, r"^## 2\.", FORWARDS)
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
    if any(tuple(map(int, n.split("."))) > (1, 4) for n in numbers):
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
        body=body_with_forwards(previous.body),
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
    dependencies = [("privacy", "0005_notice_1_3")]

    operations = [migrations.RunPython(publish, unpublish)]
