"""Follow-up reminder emails: a service email, on by default, at most one a day per person.

Each person is claimed for the day before their email is sent (a conditional update of their
TrackerSettings row), so interrupted or concurrent runs never email anyone twice; running again
the same day resumes with the people not yet claimed. A follow-up is covered by one email only.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job, TrackerSettings
from jobtrax.mail import Category, mail_send, site_link

logger = logging.getLogger(__name__)
Status = TrackerSettings.ReminderStatus


def tracker_settings_for(user) -> TrackerSettings:
    """The person's settings; the defaults, unsaved, when they never changed them."""
    found = TrackerSettings.objects.filter(user=user).first()
    return found if found is not None else TrackerSettings(user=user)


def tracker_settings_update(*, user, reminders_enabled: bool) -> TrackerSettings:
    row, _ = TrackerSettings.objects.update_or_create(
        user=user, defaults={"reminders_enabled": reminders_enabled}
    )
    return row


def _due(jobs, today: date):
    """Follow-ups due today, or missed by at most the grace days, and not reminded yet."""
    grace = timedelta(days=getattr(settings, "JOBS_REMINDER_GRACE_DAYS", 3))
    return jobs.filter(
        archived_at__isnull=True, follow_up_on__lte=today, follow_up_on__gte=today - grace
    ).exclude(follow_up_reminded_on__isnull=False, follow_up_reminded_on__gte=F("follow_up_on"))


def due_jobs_of(user_id: int, today: date):
    return _due(Job.objects.filter(user_id=user_id), today).order_by("follow_up_on", "pk")


def _recipients(today: date):
    """Active, verified people with a follow-up due who were not claimed today and did not
    turn reminders off."""
    due = _due(Job.objects.filter(user=OuterRef("pk")), today)
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True, primary=True)
    opted_out_or_claimed = TrackerSettings.objects.filter(user=OuterRef("pk")).filter(
        Q(reminders_enabled=False) | Q(last_reminder_on__gte=today)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Exists(due), Exists(verified))
        .exclude(Exists(opted_out_or_claimed))
        .order_by("pk")
    )


def _claim(user_id: int, today: date) -> bool:
    TrackerSettings.objects.get_or_create(user_id=user_id)
    claimed = (
        TrackerSettings.objects.filter(user_id=user_id, reminders_enabled=True)
        .filter(Q(last_reminder_on__isnull=True) | Q(last_reminder_on__lt=today))
        .update(
            last_reminder_on=today,
            last_reminder_status=Status.CLAIMED,
            last_reminder_claimed_at=timezone.now(),
        )
    )
    return claimed == 1


def followup_reminders_send_batch(
    *, today: date | None = None, batch_size: int | None = None
) -> tuple[int, bool]:
    """Email the next batch of people their follow-ups due today. Returns (sent, more_to_do)."""
    today = today or timezone.localdate()
    size = batch_size or settings.JOBS_REMINDER_BATCH_SIZE
    batch = list(_recipients(today)[:size])
    if not batch:
        return 0, False
    sent = 0
    connection = get_connection()
    with connection:
        for user in batch:
            user_id = user.pk
            jobs = list(due_jobs_of(user_id, today).only("pk", "title", "company", "follow_up_on"))
            if not jobs:
                _claim(user_id, today)
                continue
            discreet = bool(
                TrackerSettings.objects.filter(user_id=user_id)
                .values_list("discreet", flat=True)
                .first()
            )
            try:
                claimed = mail_send(
                    to=user.email,
                    template="jobs/email/reminder",
                    context=_context(jobs, discreet=discreet),
                    category=Category.REMINDER,
                    user=user,
                    # Another run has it, or the person just turned reminders off: False.
                    record=lambda user_id=user_id: _claim(user_id, today),
                    connection=connection,
                )
            except Exception:
                # It may or may not have left: never retry it. Stop the batch so the mail
                # server's trouble does not fail everyone else; a later run resumes.
                TrackerSettings.objects.filter(user_id=user_id).update(
                    last_reminder_status=Status.FAILED
                )
                logger.warning("follow-up reminder failed (user %s)", user_id)
                raise
            if not claimed:
                continue
            Job.objects.filter(pk__in=[job.pk for job in jobs]).update(
                follow_up_reminded_on=F("follow_up_on")
            )
            TrackerSettings.objects.filter(user_id=user_id).update(last_reminder_status=Status.SENT)
            sent += 1
    return sent, _recipients(today).exists()


def _context(jobs: list[Job], *, discreet: bool = False) -> dict:
    return {
        "jobs": [
            {"job": job, "url": site_link(reverse("jobs:detail", args=[job.pk]))} for job in jobs
        ],
        "board_url": site_link(reverse("jobs:board")),
        "settings_url": site_link(reverse("accounts:profile")),
        "discreet": discreet,
    }
