"""Bulk actions on the list, without JavaScript: tick jobs, then move them to one of one's own
stages, tag or untag them, archive, unarchive, export them as CSV or delete them (after a
confirmation page). Only one's own jobs are touched, the selection is capped, each action says
what it did and goes back to the list with its filters; the list and the board keep a constant
number of queries with tags on hundreds of jobs."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs import csvio, services, tags
from jobs.models import Job, JobTag, StageChange, Tag
from jobs.selectors import funnel_cache_key
from jobs.services import BULK_MAX
from jobs.stages import stage_add
from tests.test_signed_in_queries import BOARD_MAX_QUERIES, _fill

pytestmark = pytest.mark.django_db
BULK = reverse("jobs:bulk")


def _jobs(user, count: int, prefix: str = "Role") -> list[Job]:
    return [
        services.job_create(
            user=user, data={"title": f"{prefix} {i}", "url": f"https://{prefix}.example/{i}"}
        )
        for i in range(count)
    ]


def _post(client, jobs, action: str, **data):
    return client.post(
        BULK, {"action": action, "job": [j.pk for j in jobs], "back": "stage=saved&q=x", **data}
    )


def _messages(response) -> list[str]:
    """The messages this response added."""
    return [str(m) for m in response.wsgi_request._messages._queued_messages]


def test_moving_ticked_jobs_records_each_move_and_says_how_many(client_logged_in, user):
    jobs = _jobs(user, 4)
    cache.set(funnel_cache_key(user.pk), "stale", 600)

    response = _post(client_logged_in, jobs[:3], "move", stage="applied")

    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:list") + "?q=x&stage=saved"
    assert _messages(response) == ["3 jobs moved to Applied."]
    stages = dict(Job.objects.values_list("title", "stage"))
    assert stages == {"Role 0": "applied", "Role 1": "applied", "Role 2": "applied",
                      "Role 3": "saved"}  # fmt: skip
    assert StageChange.objects.filter(to_stage="applied").count() == 3
    assert Job.objects.filter(stage="applied", applied_on=timezone.localdate()).count() == 3
    assert cache.get(funnel_cache_key(user.pk)) is None  # as for one move


def test_jobs_move_to_ones_own_stage_by_its_own_name(client_logged_in, user):
    own = stage_add(user=user, name="Take-home test", phase="interviewing")
    jobs = _jobs(user, 2)
    page = client_logged_in.get(reverse("jobs:list")).content.decode()
    assert f'<option value="{own.key}">Take-home test</option>' in page

    response = _post(client_logged_in, jobs, "move", stage=own.key)

    assert _messages(response) == ["2 jobs moved to Take-home test."]
    assert set(Job.objects.values_list("stage", flat=True)) == {own.key}


def test_other_peoples_jobs_among_the_ticked_ones_are_left_alone(
    client_logged_in, user, other_user
):
    mine = _jobs(user, 1)
    theirs = _jobs(other_user, 2, "Theirs")

    for action, extra in (("move", {"stage": "offer"}), ("archive", {}),
                          ("add_tag", {"tag": "mine"}), ("delete_confirmed", {})):  # fmt: skip
        response = _post(client_logged_in, theirs, action, **extra)
        assert response.status_code == 302
        assert _messages(response) == ["None of the jobs you ticked is on your list."]

    response = _post(client_logged_in, [*mine, *theirs], "move", stage="offer")
    assert _messages(response) == ["1 job moved to Offer."]
    assert set(Job.objects.filter(user=other_user).values_list("stage", flat=True)) == {"saved"}
    assert not Job.objects.filter(user=other_user, archived_at__isnull=False).exists()
    assert not JobTag.objects.filter(job__user=other_user).exists()
    assert Job.objects.filter(user=other_user).count() == 2

    response = _post(client_logged_in, [*mine, *theirs], "export")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["title"] for row in rows] == ["Role 0"]


def test_another_persons_stage_is_no_stage_to_move_to(client_logged_in, user, other_user):
    theirs = stage_add(user=other_user, name="Theirs", phase="offer")
    jobs = _jobs(user, 1)
    response = _post(client_logged_in, jobs, "move", stage=theirs.key)
    assert response.status_code == 302
    assert Job.objects.get().stage == "saved"
    assert _messages(response)


def test_the_selection_is_capped_with_a_clear_error(client_logged_in, user):
    jobs = _jobs(user, 1)
    ids = [jobs[0].pk, *range(10**6, 10**6 + BULK_MAX)]
    response = client_logged_in.post(BULK, {"action": "archive", "job": ids})
    assert response.status_code == 302
    assert _messages(response) == [
        f"Choose at most {BULK_MAX} jobs at once (you chose {BULK_MAX + 1})."
    ]
    assert not Job.objects.filter(archived_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "archive"}, "Tick at least one job first."),
        ({"action": "archive", "job": ["1; DROP"]}, "Tick jobs from the list."),
        ({"action": "move", "job": ["1"]}, "Choose the stage to move the jobs to."),
        ({"action": "add_tag", "job": ["1"]}, "Name the tag to add or remove."),
        ({"action": "nonsense", "job": ["1"]}, "Select a valid choice."),
        ({"action": "add_tag", "job": ["1"], "tag": "t" * 41}, "at most 40 characters"),
    ],
)
def test_bad_bulk_input_is_a_message_never_an_error_page(client_logged_in, data, message):
    response = client_logged_in.post(BULK, data)
    assert response.status_code == 302
    assert any(message in text for text in _messages(response)), _messages(response)


def test_tags_are_added_to_and_removed_from_ticked_jobs(client_logged_in, user):
    jobs = _jobs(user, 3)

    response = _post(client_logged_in, jobs[:2], "add_tag", tag="Remote")
    assert _messages(response) == ["Tag “Remote” added to 2 jobs."]
    assert JobTag.objects.filter(tag__name="Remote").count() == 2

    response = _post(client_logged_in, jobs, "add_tag", tag="remote")  # the same tag
    assert _messages(response) == ["Tag “Remote” added to 3 jobs."]
    assert Tag.objects.count() == 1 and JobTag.objects.count() == 3

    response = _post(client_logged_in, jobs[:1], "remove_tag", tag="REMOTE")
    assert _messages(response) == ["Tag “Remote” removed from 1 job."]
    assert JobTag.objects.count() == 2

    response = _post(client_logged_in, jobs, "remove_tag", tag="no such tag")
    assert _messages(response) == ["You have no tag of that name."]


def test_archive_and_unarchive_the_ticked_jobs(client_logged_in, user):
    jobs = _jobs(user, 3)
    assert _messages(_post(client_logged_in, jobs[:2], "archive")) == ["2 jobs archived."]
    assert Job.objects.filter(archived_at__isnull=False).count() == 2
    assert _messages(_post(client_logged_in, jobs, "unarchive")) == ["2 jobs back on your board."]
    assert not Job.objects.filter(archived_at__isnull=False).exists()


def test_delete_asks_first_and_deletes_only_on_the_confirmation(client_logged_in, user):
    jobs = _jobs(user, 3)

    first = _post(client_logged_in, jobs[:2], "delete")

    assert first.status_code == 200
    page = first.content.decode()
    assert "Delete 2 jobs?" in page and "Role 0" in page and "Role 1" in page
    assert "Role 2" not in page
    assert Job.objects.count() == 3  # nothing deleted yet
    assert 'value="delete_confirmed"' in page

    second = _post(client_logged_in, jobs[:2], "delete_confirmed")
    assert _messages(second) == ["2 jobs and their history deleted."]
    assert list(Job.objects.values_list("title", flat=True)) == ["Role 2"]
    assert not StageChange.objects.filter(job_id__in=[j.pk for j in jobs[:2]]).exists()


def test_export_of_the_selection_has_the_full_exports_columns(client_logged_in, user):
    jobs = _jobs(user, 3)
    tags.job_set_tags(job=jobs[1], names=["remote"])

    response = _post(client_logged_in, jobs[1:], "export")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "jobtrax-selected-jobs-" in response["Content-Disposition"]
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    rows = list(reader)
    assert tuple(reader.fieldnames) == csvio.COLUMNS
    assert sorted(row["title"] for row in rows) == ["Role 1", "Role 2"]
    assert next(row for row in rows if row["title"] == "Role 1")["tags"] == "remote"


def test_the_list_is_one_form_with_a_labelled_checkbox_per_row(client_logged_in, user):
    jobs = _jobs(user, 2)
    page = client_logged_in.get(reverse("jobs:list"), {"q": "Role"}).content.decode()
    assert f'<form method="post" action="{BULK}"' in page
    for job in jobs:
        assert f'<input type="checkbox" name="job" value="{job.pk}" id="select-{job.pk}">' in page
        assert (
            f'<label for="select-{job.pk}" class="visually-hidden">Select {job.title}</label>'
            in page
        )
    assert 'name="back" value="q=Role"' in page
    for action in ("move", "add_tag", "remove_tag", "archive", "unarchive", "export", "delete"):
        assert f'name="action" value="{action}"' in page


def test_the_way_back_keeps_only_the_lists_own_filters(client_logged_in, user):
    jobs = _jobs(user, 1)
    response = client_logged_in.post(
        BULK,
        {"action": "archive", "job": [jobs[0].pk],
         "back": "archived=all&next=https://evil.example/&tag=remote"},
    )  # fmt: skip
    assert response["Location"] == reverse("jobs:list") + "?tag=remote&archived=all"


# Queries ---------------------------------------------------------------------------------------


def _tag_all(user) -> None:
    made = Tag.objects.bulk_create(Tag(user=user, name=f"tag {i}") for i in range(5))
    JobTag.objects.bulk_create(
        JobTag(job=job, tag=tag, user=user)
        for job in Job.objects.filter(user=user)
        for tag in made[: 1 + job.pk % 3]
    )


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [reverse("jobs:board"), reverse("jobs:list"), reverse("jobs:board") + "?tag=tag%201",
     reverse("jobs:list") + "?tag=tag%200"],
    ids=["board", "list", "board by tag", "list by tag"],
)  # fmt: skip
def test_board_and_list_take_as_many_queries_with_tags_on_500_jobs_as_on_10(
    client, user, other_user, url
):
    _fill(user, 10)
    _tag_all(user)
    _fill(other_user, 500)
    _tag_all(other_user)
    client.force_login(user)
    few = _queries(client, url)
    client.force_login(other_user)
    many = _queries(client, url)
    assert few == many


def test_the_board_with_tags_stays_within_six_queries_and_shows_them(client, user):
    _fill(user, 500)
    _tag_all(user)
    client.force_login(user)
    assert _queries(client, reverse("jobs:board")) <= BOARD_MAX_QUERIES
    page = client.get(reverse("jobs:board"), {"show": "saved"}).content.decode()
    assert page.count('class="tag"') >= 350  # every card shown carries its tags


def test_the_services_refuse_a_selection_over_the_cap_before_touching_anything(user):
    from django.core.exceptions import ValidationError

    jobs = _jobs(user, 1)
    ids = [jobs[0].pk, *range(10**6, 10**6 + BULK_MAX)]
    for action, extra in ((services.jobs_move, {"stage": "applied"}),
                          (services.jobs_archive, {}), (services.jobs_delete, {}),
                          (services.jobs_add_tag, {"name": "x"})):  # fmt: skip
        with pytest.raises(ValidationError, match=f"at most {BULK_MAX} jobs"):
            action(user=user, job_ids=ids, **extra)
    job = Job.objects.get()
    assert (job.stage, job.archived_at) == ("saved", None)
    assert not Tag.objects.exists()
