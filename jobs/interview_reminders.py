"""Interview reminder emails: one per interview, JOBS_INTERVIEW_REMINDER_HOURS before it.

Each interview is claimed (a conditional update of its `reminded_at`) before its email is sent
through the one mail helper (jobtrax.mail),
so concurrent or repeated runs never send it twice; a failed send is not retried. The email
says what discreet mode allows: with it on, "Interview, 14:00" and nothing about the employer.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from jobs.interviews import time_zone_of
from jobs.models import Interview, TrackerSettings
from jobtrax.mail import Category, mail_send, site_link

logger = logging.getLogger(__name__)


def _due(now):
    verified = EmailAddress.objects.filter(user=OuterRef("user"), verified=True, primary=True)
    opted_out = TrackerSettings.objects.filter(user=OuterRef("user"), reminders_enabled=False)
    return (
        Interview.objects.filter(
            cancelled_at__isnull=True,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=settings.JOBS_INTERVIEW_REMINDER_HOURS),
            user__is_active=True,
            user__processing_restricted_at__isnull=True,
            job__archived_at__isnull=True,
        )
        .filter(Exists(verified))
        .exclude(Exists(opted_out))
        .order_by("starts_at", "pk")
    )


def interview_reminders_send_batch(*, now=None, batch_size: int | None = None) -> tuple[int, bool]:
    """Email the next batch of interview reminders. Returns (sent, more_to_do)."""
    now = now or timezone.now()
    size = batch_size or settings.JOBS_REMINDER_BATCH_SIZE
    batch = list(_due(now).values_list("pk", flat=True)[:size])
    sent = 0
    if not batch:
        return 0, False
    connection = get_connection()
    with connection:
        for pk in batch:
            claimed = Interview.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed != 1:
                continue
            interview = Interview.objects.select_related("job", "user").get(pk=pk)
            try:
                delivered = mail_send(
                    to=interview.user.email,
                    template="jobs/email/interview",
                    context=_context(interview),
                    category=Category.REMINDER,
                    user=interview.user,
                    connection=connection,
                )
            except Exception:
                logger.warning("interview reminder failed (interview %s)", pk)
                raise
            sent += int(delivered)
    return sent, _due(now).exists()


def _context(interview: Interview) -> dict:
    user = interview.user
    tz = time_zone_of(user)
    discreet = bool(
        TrackerSettings.objects.filter(user=user).values_list("discreet", flat=True).first()
    )
    return {
        "interview": interview,
        "job": interview.job,
        "discreet": discreet,
        "starts": interview.starts_at.astimezone(tz),
        "tz": tz.key,
        "url": site_link(reverse("jobs:detail", args=[interview.job_id])),
        "settings_url": site_link(reverse("accounts:profile")),
    }
