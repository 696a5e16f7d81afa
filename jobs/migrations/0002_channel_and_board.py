"""A job's `source` mixed how it came in with the ATS it was read from. It becomes two plain
strings: `channel` (manual, link, paste, bookmarklet, csv, ...) and `board` (greenhouse, ...)."""

from django.db import migrations, models

import jobs.channels

# The sources that were ways in; any other value named the board a link was read from.
CHANNEL_SOURCES = ("manual", "link", "paste", "bookmarklet", "csv")


def split_source(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    Job.objects.filter(source__in=CHANNEL_SOURCES).update(channel=models.F("source"), board="")
    Job.objects.exclude(source__in=CHANNEL_SOURCES).update(
        channel="link", board=models.F("source")
    )


def join_source(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    Job.objects.filter(board="").update(source=models.F("channel"))
    Job.objects.exclude(board="").update(source=models.F("board"))


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_tracker")]

    operations = [
        migrations.AddField(
            model_name="job",
            name="channel",
            field=models.CharField(
                default="manual", max_length=16, validators=[jobs.channels.validate_channel]
            ),
        ),
        migrations.AddField(
            model_name="job",
            name="board",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.RunPython(split_source, join_source),
        migrations.RemoveIndex(model_name="job", name="job_user_board_id"),
        migrations.RemoveField(model_name="job", name="source"),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(fields=["user", "board", "board_id"], name="job_user_board_id"),
        ),
    ]
