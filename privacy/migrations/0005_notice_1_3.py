"""Version 1.3 of the privacy notice: the browser extension, the phone's share sheet and the
API, with their access tokens.

Not a material change for anyone's current processing: the extension, the API and sharing from
a phone process data only for a person who chooses to use them, and then only what the new
text says (the clicked page's posting data; a token's name, scopes and dates). Nothing that
JobTrax already processes changes, so no banner and no email are sent to everyone; a person
meets this text when they connect the extension or create a token, where both pages say it.

The body is the previous version's with the new text added at its place, so this version
changes nothing else. On a fresh install it is simply the current version.
"""

import datetime
import re

from django.db import migrations
from django.utils import timezone

NUMBER = "1.3"
EFFECTIVE = datetime.date(2026, 12, 6)
SUMMARY = (
    "New, for those who use them: the browser extension, sharing jobs from a phone, and the API "
    "with its access tokens. The extension sends nothing but the job posting data of the page "
    "you click it on; tokens are stored as a fingerprint, with their name, rights and dates, "
    "and deleted 30 days after they expire or are revoked."
)

CAPTURE = """### 1.4 The browser extension, sharing from your phone, and the API

These are optional. Nothing below happens unless you use them.

- **The browser extension** reads a page only when you click its button on that page, and sends JobTrax only that page's job posting data: the data the page publishes for search engines (JSON-LD, at most 64 KB), its address, title and preview tags, and any text you selected. Nothing else leaves your browser: not your browsing history, not the pages you visit, not any page you did not click it on. It talks only to the JobTrax address you connected it to. What it sends is handled like any other import: you check it before it is saved.
- **Sharing from your phone** sends JobTrax the link or text you chose to share; JobTrax shows it to you and imports it only when you tap to continue.
- **The API and its access tokens.** When you create a token on "Connected apps", or connect the extension (which gets a token that can import jobs and read their stage), we keep the token's name, what it may do, when it was created, when it expires (at most a year), the day it was last used (the day only) and when it was revoked. We keep only a fingerprint (a one-way hash) of the token itself and show it to you once. An app using a token can do only what you allowed. Tokens are part of your data export (never the token itself), are deleted with your account, and are deleted {{ retention.ended_api_tokens }} after they expire or you revoke them.

"""

RETENTION = (
    "- **Access tokens**: deleted {{ retention.ended_api_tokens }} after they expire or you "
    "revoke them, and with your account.\n"
)


def _before_heading(body: str, pattern: str, text: str) -> str:
    """Insert `text` before the first heading matching `pattern`, else at the end."""
    match = re.search(pattern, body, flags=re.MULTILINE)
    if match is None:
        return body.rstrip("\n") + "\n\n" + text
    return body[: match.start()] + text + body[match.start() :]


def body_with_capture(body: str) -> str:
    body = _before_heading(body, r"^## 2\.", CAPTURE)
    imports = re.search(r"^- \*\*Job imports\*\*.*$", body, flags=re.MULTILINE)
    if imports is not None:
        body = body[: imports.end() + 1] + RETENTION + body[imports.end() + 1 :]
    else:
        body = _before_heading(body, r"^## 7\.", RETENTION + "\n")
    return body


def publish(apps, schema_editor):
    NoticeVersion = apps.get_model("privacy", "NoticeVersion")
    if NoticeVersion.objects.filter(number=NUMBER).exists():
        return
    numbers = NoticeVersion.objects.filter(status="published").values_list("number", flat=True)
    if any(tuple(map(int, n.split("."))) > (1, 3) for n in numbers):
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
        body=body_with_capture(previous.body),
        change_summary=SUMMARY,
        material=False,
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
    dependencies = [("privacy", "0004_notice_1_2")]

    operations = [migrations.RunPython(publish, unpublish)]
