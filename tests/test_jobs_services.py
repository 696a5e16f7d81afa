"""The tracker's writes: one service per write, duplicates refused, history kept."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobs import services
from jobs.models import Job, Stage, StageChange
from jobs.sanitize import sanitize_description
from jobs.urlnorm import normalize_url
from tests.jobs_fixtures import add_job, note_bodies

pytestmark = pytest.mark.django_db


def test_it_creates_a_job_with_its_first_history_entry(user):
    job = add_job(user, "Data analyst", url="https://jobs.example/1")

    assert job.stage == Stage.SAVED
    assert list(StageChange.objects.filter(job=job).values_list("from_stage", "to_stage")) == [
        ("", "saved")
    ]


@pytest.mark.parametrize(
    "first, second",
    [
        ("https://jobs.example/1", "https://JOBS.example/1/"),
        ("https://jobs.example/1?utm_source=x&utm_medium=y", "https://jobs.example/1"),
        ("https://boards.example/acme/1?gh_src=abc", "https://boards.example/acme/1#apply"),
        (
            "https://jobs.lever.example/acme/1?lever-source=LinkedIn",
            "http://jobs.lever.example/acme/1",
        ),
        ("https://jobs.example/1?b=2&a=1", "https://jobs.example:443/1?a=1&b=2&fbclid=zz"),
    ],
)
def test_the_same_posting_by_url_is_refused_with_the_one_already_saved(user, first, second):
    existing = add_job(user, url=first)

    with pytest.raises(services.DuplicateJob) as refused:
        add_job(user, url=second)

    assert refused.value.existing == existing
    assert Job.objects.filter(user=user).count() == 1


def test_the_same_board_id_is_a_duplicate_even_under_another_url(user):
    existing = add_job(
        user, url="https://a.example/1", channel="link", board="greenhouse", board_id="4012"
    )

    found = services.job_find_duplicate(
        user=user, url="https://b.example/other", board="greenhouse", board_id="4012"
    )

    assert found == existing


@pytest.mark.parametrize("board", ["greenhouse", "a-board-nobody-listed"])
def test_any_board_with_its_id_is_a_duplicate_under_another_url(user, board):
    add_job(user, url="https://a.example/1", channel="link", board=board, board_id="77")

    with pytest.raises(services.DuplicateJob):
        services.job_create(
            user=user,
            data={"title": "Again", "url": "https://b.example/2"},
            channel="paste",
            board=board,
            board_id="77",
        )


def test_the_same_id_on_another_board_is_another_job(user):
    add_job(user, url="https://a.example/1", channel="link", board="lever", board_id="77")

    job = services.job_create(
        user=user,
        data={"title": "Other", "url": "https://b.example/2"},
        channel="link",
        board="ashby",
        board_id="77",
    )

    assert job.board == "ashby"


def test_an_unknown_channel_is_refused(user):
    with pytest.raises(ValidationError) as refused:
        services.job_create(user=user, data={"title": "Role"}, channel="pigeon")

    assert "channel" in refused.value.message_dict


def test_a_registered_channel_needs_no_migration(user):
    from jobs import channels

    channels.register_channel("carrier_pigeon", "From a carrier pigeon")
    try:
        job = services.job_create(user=user, data={"title": "Role"}, channel="carrier_pigeon")
        job.full_clean()
        assert job.channel_display == "From a carrier pigeon"
    finally:
        channels.CHANNELS.pop("carrier_pigeon")


def test_other_peoples_jobs_are_never_duplicates(user, other_user):
    add_job(other_user, url="https://jobs.example/1")

    job = add_job(user, url="https://jobs.example/1")

    assert job.user == user


def test_different_postings_are_not_duplicates(user):
    add_job(user, url="https://jobs.example/1")

    add_job(user, url="https://jobs.example/2")

    assert Job.objects.filter(user=user).count() == 2


@pytest.mark.parametrize(
    "url, normal",
    [
        ("HTTPS://Jobs.Example.COM/Role/", "https://jobs.example.com/Role"),
        ("https://jobs.example/a?utm_campaign=x&id=3#top", "https://jobs.example/a?id=3"),
        ("http://jobs.example:80/a", "http://jobs.example/a"),
        ("https://jobs.example:8443/a", "https://jobs.example:8443/a"),
        ("javascript:alert(1)", ""),
        ("ftp://jobs.example/a", ""),
        ("not a url", ""),
        ("https://[::1", ""),
    ],
)
def test_urls_are_normalised(url, normal):
    assert normalize_url(url) == normal


def test_moving_records_the_change_and_the_applied_date(user):
    job = add_job(user)

    change = services.job_move(job=job, stage=Stage.APPLIED)

    job.refresh_from_db()
    assert job.stage == Stage.APPLIED
    assert job.applied_on == timezone.localdate()
    assert (change.from_stage, change.to_stage) == ("saved", "applied")
    assert StageChange.objects.filter(job=job).count() == 2


def test_moving_to_the_same_stage_records_nothing(user):
    job = add_job(user)

    assert services.job_move(job=job, stage=Stage.SAVED) is None
    assert StageChange.objects.filter(job=job).count() == 1


def test_moving_to_an_unknown_stage_is_refused(user):
    job = add_job(user)

    with pytest.raises(ValidationError):
        services.job_move(job=job, stage="hired-by-mars")


def test_archive_and_unarchive(user):
    job = add_job(user)

    services.job_archive(job=job)
    assert Job.objects.get(pk=job.pk).archived_at is not None

    services.job_unarchive(job=job)
    assert Job.objects.get(pk=job.pk).archived_at is None


def test_delete_takes_the_history_with_it(user):
    job = add_job(user)
    services.job_move(job=job, stage=Stage.APPLIED)

    services.job_delete(job=job)

    assert not Job.objects.filter(pk=job.pk).exists()
    assert not StageChange.objects.filter(job_id=job.pk).exists()


def test_update_changes_only_the_given_fields(user):
    job = add_job(user, "Old title", notes="keep me")

    services.job_update(job=job, data={"title": "New title"})

    job.refresh_from_db()
    assert (job.title, note_bodies(job)) == ("New title", ["keep me"])


def test_update_refuses_a_url_another_job_has(user):
    add_job(user, url="https://jobs.example/1")
    second = add_job(user, url="https://jobs.example/2")

    with pytest.raises(services.DuplicateJob):
        services.job_update(job=second, data={"url": "https://jobs.example/1/"})


@pytest.mark.parametrize(
    "data, field",
    [
        ({"salary_min": -5}, "salary_min"),
        ({"salary_min": 100, "salary_max": 50}, "salary_max"),
        ({"salary_currency": "XYZ"}, "salary_currency"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"apply_url": "data:text/html,hi"}, "apply_url"),
        ({"valid_through": "1200-01-01"}, "valid_through"),
        ({"workplace": "moon"}, "workplace"),
    ],
)
def test_create_refuses_bad_data_field_by_field(user, data, field):
    with pytest.raises(ValidationError) as refused:
        services.job_create(user=user, data={"title": "Role", **data}, channel="link")

    assert field in refused.value.message_dict
    assert not Job.objects.exists()


def test_create_caps_long_text_and_strips_nul_bytes(user):
    job = add_job(user, "T\x00itle " + "x" * 500, notes="n" * 20_000)

    assert job.title.startswith("Title")
    assert len(job.title) == 200
    assert [len(body) for body in note_bodies(job)] == [10_000]


@pytest.mark.parametrize(
    "raw",
    [
        "&lt;script&gt;alert(1)&lt;/script&gt;<p>Role</p>",
        "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;<p>Role</p>",
        "<p>Role</p><script>alert(1)</script>",
        '<p onclick="alert(1)">Role</p><img src=x onerror=alert(1)>',
        '<p>Role</p><a href="javascript:alert(1)">x</a>',
        "&#60;script&#62;alert(1)&#60;/script&#62;<p>Role</p>",
    ],
)
def test_descriptions_lose_every_script_even_entity_encoded(raw):
    clean = sanitize_description(raw)

    assert "script" not in clean.lower()
    assert "onerror" not in clean and "onclick" not in clean
    assert "javascript:" not in clean
    assert "Role" in clean


def test_plain_text_descriptions_become_paragraphs():
    assert sanitize_description("First line\nsecond\n\nNext <3 & more") == (
        "<p>First line<br>second</p><p>Next &lt;3 &amp; more</p>"
    )


def test_descriptions_are_capped_with_valid_markup():
    clean = sanitize_description("<p>" + "word " * 20_000 + "</p>" * 3)

    assert len(clean) <= 50_000
    assert clean.endswith("</p>")


def test_days_in_stage_and_due_badges(user):
    job = add_job(user, valid_through=timezone.localdate() + timedelta(days=2))
    job.follow_up_on = timezone.localdate()
    job.stage_changed_at = timezone.now() - timedelta(days=3)

    assert job.days_in_stage() == 3
    assert job.follow_up_due()
    assert job.deadline_due()


# Redis down: the cache is an optimisation, never a reason to fail a saved change -------------


def test_creating_moving_and_deleting_a_job_work_while_redis_is_down(
    client_logged_in, user, redis_down
):
    from django.urls import reverse

    from jobs.models import Job

    created = client_logged_in.post(
        reverse("jobs:new"), {"title": "Analyst", "company": "Acme", "workplace": "remote"}
    )
    assert created.status_code == 302
    job = Job.objects.get(user=user)

    moved = client_logged_in.post(reverse("jobs:move", args=[job.pk]), {"stage": "applied"})
    assert moved.status_code == 302
    job.refresh_from_db()
    assert job.stage == "applied"

    board = client_logged_in.get(reverse("jobs:board"))
    assert board.status_code == 200
    assert "Analyst" in board.content.decode()

    deleted = client_logged_in.post(reverse("jobs:delete", args=[job.pk]), {"confirm": "yes"})
    assert deleted.status_code == 302
    assert not Job.objects.filter(user=user).exists()
