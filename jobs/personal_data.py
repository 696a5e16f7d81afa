"""The personal data the job tracker holds, and how long it keeps it."""

from celery.schedules import crontab

from jobtrax import datamap
from jobtrax.datamap import Kind, Policy, Target

datamap.register_kinds(
    Kind(
        name="jobs",
        model="jobs.Job",
        title="Jobs you track",
        purpose="Keep track of the jobs you are after: the postings you save, your notes, "
        "stages and dates; remind you of follow-ups.",
        legal_basis=datamap.CONTRACT,
        retention="archived_jobs",
        source="Given by you, or copied from a job posting you chose",
        ccpa_category=datamap.PROFESSIONAL,
        exclude=("url_key",),
        recipients=(datamap.HOSTING, datamap.EMAIL),
        erase=datamap.DELETE,
    ),
    Kind(
        name="job_stage_changes",
        model="jobs.StageChange",
        title="Stage history of the jobs you track",
        purpose="Show each job's dated history, for you and for the records some "
        "unemployment offices ask for.",
        legal_basis=datamap.CONTRACT,
        retention="archived_jobs",
        source="Recorded by JobTrax when you move a job",
        ccpa_category=datamap.PROFESSIONAL,
        recipients=(datamap.HOSTING, datamap.EMAIL),
        erase=datamap.DELETE,
    ),
    Kind(
        name="job_notes",
        model="jobs.JobNote",
        title="Notes on the jobs you track",
        purpose="Keep your dated notes on each job (what was said, what to do next), for you "
        "alone. Never sent to the AI features unless you paste them in yourself.",
        legal_basis=datamap.CONTRACT,
        retention="archived_jobs",
        source="Written by you",
        ccpa_category=datamap.PROFESSIONAL,
        recipients=(datamap.HOSTING,),
        erase=datamap.DELETE,
    ),
    Kind(
        name="tracker_settings",
        model="jobs.TrackerSettings",
        title="Tracker settings: reminders, time zone and discreet mode",
        purpose="Email you on follow-up days, at most once a day, unless you turn it off; show "
        "times in your time zone; leave employer names out of reminders and calendars when "
        "you ask for discretion.",
        legal_basis=datamap.CONTRACT,
        retention="Until you delete your account",
        source="Chosen by you; the day of the last reminder recorded by JobTrax",
        ccpa_category=datamap.PROFESSIONAL,
        recipients=(datamap.HOSTING, datamap.EMAIL),
        erase=datamap.DELETE,
    ),
    Kind(
        name="job_stages",
        model="jobs.PersonalStage",
        title="Your stages",
        purpose="Name, order and hide the stages of your board as you like; each maps to a "
        "fixed phase so your numbers stay right.",
        legal_basis=datamap.CONTRACT,
        retention="Until you delete your account",
        source="The defaults, changed by you",
        ccpa_category=datamap.PROFESSIONAL,
        recipients=(datamap.HOSTING,),
        erase=datamap.DELETE,
    ),
    Kind(
        name="job_contacts",
        model="jobs.JobContact",
        title="Contacts on your jobs (other people's personal data, given by you)",
        purpose="Remember who you deal with about a job: name, role, how to reach them, notes. "
        "Never sent to the AI features unless you include them yourself.",
        legal_basis=datamap.CONTRACT,
        retention="archived_jobs",
        source="Given by you, about other people",
        ccpa_category=datamap.PROFESSIONAL,
        recipients=(datamap.HOSTING,),
        erase=datamap.DELETE,
    ),
    Kind(
        name="job_tags",
        model="jobs.Tag",
        title="Your tags",
        purpose="Label the jobs you track with words of your own, and find them by label on "
        "your board and list.",
        legal_basis=datamap.CONTRACT,
        retention="Until you delete them or your account",
        source="Given by you",
        ccpa_category=datamap.PROFESSIONAL,
        recipients=(datamap.HOSTING,),
        erase=datamap.DELETE,
    ),
    Kind(
        name="job_tag_links",
        model="jobs.JobTag",
        title="Which of your tags are on which job",
        purpose="Show your tags on your jobs and filter them by tag.",
        legal_basis=datamap.CONTRACT,
        retention="archived_jobs",
        source="Given by you",
        ccpa_category=datamap.PROFESSIONAL,
        recipients=(datamap.HOSTING,),
        erase=datamap.DELETE,
    ),
    Kind(
        name="job_interviews",
        model="jobs.Interview",
        title="Interviews of the jobs you track",
        purpose="Show your interviews on your board, in your calendar feed and in reminder "
        "emails before them.",
        legal_basis=datamap.CONTRACT,
        retention="interview_tombstones",
        source="Given by you",
        ccpa_category=datamap.PROFESSIONAL,
        recipients=(datamap.HOSTING, datamap.EMAIL),
        erase=datamap.DELETE,
    ),
    Kind(
        name="calendar_feeds",
        model="jobs.CalendarFeed",
        title="Your private calendar feed",
        purpose="Let your calendar app subscribe to your interviews, follow-ups and deadlines "
        "at a private address you can revoke.",
        legal_basis=datamap.CONTRACT,
        retention="Until you revoke or replace it, or delete your account; a revoked feed's "
        "record goes with your account",
        source="Created when you ask for a feed; the time of its last fetch recorded by JobTrax",
        ccpa_category=datamap.NETWORK_ACTIVITY,
        exclude=("nonce", "token_hash"),
        recipients=(datamap.HOSTING,),
        erase=datamap.DELETE,
    ),
)

datamap.register_policies(
    Policy(
        name="archived_jobs",  # {{ retention.archived_jobs }} in the notice
        covers="Archived jobs, with their stage history and notes, counted from archiving",
        action=datamap.DELETE,
        setting="RETENTION_ARCHIVED_JOB_DAYS",
        default_days=730,
        notice_group="account",
        targets=(
            Target(
                "archived jobs (with their stage history and notes)",
                "jobs.Job",
                datamap.DELETE_ROWS,
                datamap.older("archived_at"),
            ),
        ),
        schedule=crontab(minute=40, hour=4),
        schedule_note="daily at 04:40 UTC: delete jobs archived more than 24 months ago",
    ),
    Policy(
        name="interview_tombstones",  # {{ retention.interview_tombstones }} in the notice
        covers="Deleted interviews kept, without their text, so calendar feeds show them as "
        "cancelled; interviews go with their job",
        action=datamap.DELETE,
        setting="RETENTION_INTERVIEW_TOMBSTONE_DAYS",
        default_days=30,
        notice_group="account",
        targets=(
            Target(
                "deleted interviews (tombstones)",
                "jobs.Interview",
                datamap.DELETE_ROWS,
                datamap.older("cancelled_at"),
            ),
        ),
        schedule=crontab(minute=45, hour=4),
        schedule_note="daily at 04:45 UTC: delete interviews deleted more than 30 days ago",
    ),
)
