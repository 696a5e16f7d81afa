"""Jobs for the tracker tests, created through the real services."""

from jobs import services


def add_job(user, title: str = "Backend engineer", **data):
    origin = {name: data.pop(name) for name in ("channel", "board", "board_id") if name in data}
    data.setdefault("company", "Acme")
    return services.job_create(user=user, data={"title": title, **data}, **origin)


def note_bodies(job) -> list[str]:
    """A job's notes, oldest first."""
    from jobs.models import JobNote

    return list(
        JobNote.objects.filter(job_id=job.pk)
        .order_by("written_at", "pk")
        .values_list("body", flat=True)
    )
