"""Jobs for the tracker tests, created through the real services."""

from jobs import services


def add_job(user, title: str = "Backend engineer", **data):
    source = data.pop("source", "manual")
    board_id = data.pop("board_id", "")
    data.setdefault("company", "Acme")
    return services.job_create(
        user=user, data={"title": title, **data}, source=source, board_id=board_id
    )
