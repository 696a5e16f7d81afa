"""A job's single notes box becomes a list of dated notes (JobNote). Each job's notes, when it
has any, become its first note, dated when the job was added so it sorts as the oldest; then
the box goes. Going back joins a job's notes into the box again, oldest first, each on a line
that starts with its date."""

from datetime import UTC

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def notes_to_entries(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    JobNote = apps.get_model("jobs", "JobNote")
    jobs = (
        Job.objects.exclude(notes="")
        .order_by("pk")
        .values_list("pk", "user_id", "notes", "created_at")
    )
    batch = []
    for pk, user_id, notes, created_at in jobs.iterator(chunk_size=BATCH):
        if not notes.strip():
            continue
        batch.append(JobNote(job_id=pk, user_id=user_id, body=notes, written_at=created_at))
        if len(batch) >= BATCH:
            JobNote.objects.bulk_create(batch)
            batch = []
    JobNote.objects.bulk_create(batch)


def dated_line(written_at, body: str) -> str:
    return f"[{written_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC] {body}"


def entries_to_notes(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    JobNote = apps.get_model("jobs", "JobNote")
    entries = JobNote.objects.order_by("job_id", "written_at", "pk").values_list(
        "job_id", "written_at", "body"
    )
    current, lines = None, []

    def flush():
        if current is not None:
            Job.objects.filter(pk=current).update(notes="\n\n".join(lines))

    for job_id, written_at, body in entries.iterator(chunk_size=BATCH):
        if job_id != current:
            flush()
            current, lines = job_id, []
        lines.append(dated_line(written_at, body))
    flush()


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0007_contacts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="JobNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("body", models.TextField(max_length=10000)),
                ("written_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("edited_at", models.DateTimeField(blank=True, null=True)),
                ("job", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notes", to="jobs.job")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-written_at", "-pk"],
                "indexes": [models.Index(fields=["job", "written_at"], name="jobnote_job_written")],
            },
        ),
        migrations.RunPython(notes_to_entries, entries_to_notes, elidable=False),
        migrations.RemoveField(model_name="job", name="notes"),
    ]
