"""The costly parts of signed-in pages are kept in the cache until the person's data changes
(jobtrax.pagecache): every change shows on the next request, whichever way it was made, and
nothing is served from a cached part that another change or an erasure has made stale."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from jobs import services as job_services
from jobs import stages as job_stages
from jobs.models import Job
from jobtrax import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True


def _board(client) -> str:
    response = client.get(reverse("jobs:board"))
    assert response.status_code == 200
    return response.content.decode()


def _job(user, title: str) -> Job:
    return job_services.job_create(user=user, data={"title": title}, channel="manual")


def test_a_second_visit_serves_the_board_from_the_cache_with_two_queries(client, user):
    _job(user, "Data engineer")
    client.force_login(user)
    first = _board(client)
    with CaptureQueriesContext(connection) as captured:
        second = _board(client)
    # The session and the account: nothing else is read.
    assert len(captured) <= 2
    assert "Data engineer" in first
    # The same page, but for the CSRF token each response carries.
    assert len(second) == len(first)
    assert cache.get(pagecache.cache_key(user.pk, "board")) is not None


def test_a_job_added_through_the_service_shows_on_the_next_visit(client, user):
    client.force_login(user)
    assert "Platform engineer" not in _board(client)
    _job(user, "Platform engineer")
    assert "Platform engineer" in _board(client)


def test_changes_made_without_the_services_show_too(client, user):
    """Admin edits, shell sessions and tasks save models directly: the signals catch them."""
    client.force_login(user)
    job = _job(user, "Site reliability engineer")
    assert "Site reliability engineer" in _board(client)
    job.title = "Staff engineer"
    job.save()
    board = _board(client)
    assert "Staff engineer" in board
    assert "Site reliability engineer" not in board
    Job.objects.get(pk=job.pk).delete()
    assert "Staff engineer" not in _board(client)


def test_a_renamed_stage_shows_on_the_next_visit(client, user):
    _job(user, "Analyst")
    client.force_login(user)
    assert "Shortlist" not in _board(client)
    job_stages.stages_update(user=user, changes={"saved": {"name": "Shortlist"}})
    assert "Shortlist" in _board(client)


def test_an_account_loaded_before_a_change_cannot_undo_it(client, user):
    stale = User.objects.get(pk=user.pk)
    client.force_login(user)
    _board(client)
    _job(user, "Backend engineer")
    # A save of an account row loaded before the change (a profile form, a task) ...
    stale.country = "DE"
    stale.save()
    # ... keeps the raised version: the cached board is not served again.
    assert User.objects.get(pk=user.pk).data_version > stale.data_version
    assert "Backend engineer" in _board(client)


def test_another_persons_changes_leave_the_cached_board_alone(client, user, other_user):
    client.force_login(user)
    _board(client)
    version = User.objects.get(pk=user.pk).data_version
    _job(other_user, "Someone else's job")
    assert User.objects.get(pk=user.pk).data_version == version
    assert "Someone else&#x27;s job" not in _board(client)


def test_the_cached_boards_forms_work_from_another_session_of_the_same_person(user):
    """Each response carries its own session's CSRF token, not the one it was cached with."""
    job = _job(user, "Designer")
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(user)
    phone.force_login(user)
    _board(laptop)  # cached with the laptop's session
    page = _board(phone)
    assert pagecache.CSRF_PLACEHOLDER not in page
    token = phone.cookies["csrftoken"].value
    marker = 'name="csrfmiddlewaretoken" value="'
    form_token = page.split(marker, 1)[1].split('"', 1)[0]
    response = phone.post(
        reverse("jobs:move", args=[job.pk]),
        {"stage": "applied", "csrfmiddlewaretoken": form_token},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.stage == "applied"


def test_the_board_is_rendered_on_each_visit_while_redis_is_down(client, user, redis_down):
    client.force_login(user)
    _job(user, "Data scientist")
    assert "Data scientist" in _board(client)
    _job(user, "ML engineer")
    assert "ML engineer" in _board(client)


def test_erasing_the_account_deletes_its_cached_pages(client, user):
    from rights.erasure import erase_account

    _job(user, "Secret project lead")
    client.force_login(user)
    _board(client)
    key = pagecache.cache_key(user.pk, "board")
    kept = b"".join(piece for piece in cache.get(key)[1] if isinstance(piece, bytes))
    assert b"Secret project lead" in kept
    erase_account(user_id=user.pk, reason="test")
    assert cache.get(key) is None


def _jobs_kept(client) -> str:
    import lxml.html

    html = client.get(reverse("rights:your_data")).content.decode()
    return lxml.html.fromstring(html).xpath('//*[@data-testid="jobs-kept"]')[0].text_content()


def test_your_data_counts_a_job_added_after_it_was_cached(client, user):
    client.force_login(user)
    assert _jobs_kept(client).strip() == "0"
    _job(user, "Archivist")
    assert _jobs_kept(client).strip() == "1"


def test_your_data_reads_its_log_counts_apart_at_most_a_minute_old(client, user):
    from datetime import timedelta

    from django.utils import timezone

    from logs_retention.models import SecurityEvent

    client.force_login(user)
    client.get(reverse("rights:your_data"))
    SecurityEvent.objects.create(
        created_at=timezone.now() - timedelta(days=3), kind="login_succeeded", user=user
    )
    # Log rows do not change the person's pages (they come with every request) ...
    html = client.get(reverse("rights:your_data")).content.decode()
    assert "Counted at most a minute ago." in html
    # ... and are counted again once the minute is over.
    cache.delete(pagecache.cache_key(user.pk, "logs"))
    html = client.get(reverse("rights:your_data")).content.decode()
    assert (timezone.now() - timedelta(days=3)).strftime("%-d %b %Y") in html


def test_a_retention_delete_that_sends_no_signal_still_renews_the_owners_pages(user, other_user):
    """Retention deletes rows with no dependants in one statement: the owners' versions are
    raised from the batch itself."""
    from inbox.models import Proposal
    from logs_retention.batches import delete_batch

    Proposal.objects.create(user=user, kind="rejection", proposed_stage="rejected")
    before = User.objects.get(pk=user.pk).data_version
    untouched = User.objects.get(pk=other_user.pk).data_version
    deleted, _ = delete_batch(Proposal.objects.filter(user=user), limit=100)
    assert deleted == 1
    assert User.objects.get(pk=user.pk).data_version > before
    assert User.objects.get(pk=other_user.pk).data_version == untouched


def test_a_bulk_delete_raises_the_version_once_not_once_per_row(user, django_assert_num_queries):
    jobs = [_job(user, f"Role {i}") for i in range(5)]
    with CaptureQueriesContext(connection) as captured:
        job_services.jobs_delete(user=user, job_ids=[job.pk for job in jobs])
    bumps = [q for q in captured if "data_version" in q["sql"] and "UPDATE" in q["sql"]]
    assert len(bumps) == 1
    assert not Job.objects.filter(user=user).exists()


def test_a_part_kept_by_the_previous_release_is_not_served_by_the_next(client, user, monkeypatch):
    _job(user, "Release engineer")
    client.force_login(user)
    _board(client)
    key = pagecache.cache_key(user.pk, "board")
    kept_stamp = cache.get(key)[0]
    monkeypatch.setattr(pagecache, "code_stamp", lambda: "another-release")
    _board(client)
    assert cache.get(key)[0] != kept_stamp
    assert cache.get(key)[0][1] == "another-release"


def test_a_kept_page_carries_this_responses_nonce_in_its_scripts_and_header(client, user):
    import re

    client.force_login(user)
    _board(client)
    response = client.get(reverse("jobs:board"))
    html = response.content.decode()
    nonces = set(re.findall(r'nonce="([^"]+)"', html))
    assert len(nonces) == 1
    [nonce] = nonces
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert pagecache.NONCE_PLACEHOLDER not in html
    assert nonce not in _board(client)  # the next response has a nonce of its own


def test_a_message_waiting_is_shown_once_on_a_kept_page(client, user):
    keep = _job(user, "Researcher")
    gone = _job(user, "Lab assistant")
    client.force_login(user)
    _board(client)
    _board(client)  # kept
    response = client.post(reverse("jobs:delete", args=[gone.pk]), follow=True)
    assert "The job and its history are deleted." in response.content.decode()
    again = _board(client)
    assert "The job and its history are deleted." not in again
    assert keep.title in again and gone.title not in again


def _ready_preview(user, *titles: str):
    from importer.models import ImportPreview
    from importer.posting import Posting

    postings = [
        Posting(title=title, company="Initech", source="jsonld").as_json() for title in titles
    ]
    return ImportPreview.objects.create(
        owner=user, method="link", status=ImportPreview.Status.READY, postings=postings
    )


def _preview_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "importer_importpreview" in q["sql"]]


def test_a_kept_import_preview_is_served_without_reading_the_preview(client, user):
    item = _ready_preview(user, "Backend developer")
    client.force_login(user)
    url = reverse("importer:preview", args=[item.pk])
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        second = client.get(url)
    assert second.status_code == first.status_code == 200
    assert "Backend developer" in second.content.decode()
    assert _preview_queries(captured) == []


def test_a_kept_import_preview_is_not_served_past_its_retention_window(client, user, monkeypatch):
    import time

    from jobtrax import datamap

    item = _ready_preview(user, "Backend developer")
    client.force_login(user)
    url = reverse("importer:preview", args=[item.pk])
    assert client.get(url).status_code == 200
    window = datamap.policy("import_previews").window.total_seconds()
    later = time.time() + window + 60
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    # As it will be by then (an update sends no signal: the person's version stays).
    old = item.created_at - datamap.policy("import_previews").window
    type(item).objects.filter(pk=item.pk).update(created_at=old)
    assert client.get(url).status_code == 404


def test_a_preview_with_several_postings_asks_which_and_keeps_only_the_chosen_one(client, user):
    item = _ready_preview(user, "Backend developer", "Frontend developer")
    client.force_login(user)
    url = reverse("importer:preview", args=[item.pk])
    for _ in range(2):  # the pick page, never kept
        assert 'data-testid="import-pick"' in client.get(url).content.decode()
    chosen = client.get(url, {"posting": "1"})
    assert "Frontend developer" in chosen.content.decode()
    assert client.get(url, {"posting": "9"}).status_code == 302
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, {"posting": "1"})
    assert "Frontend developer" in again.content.decode()
    assert _preview_queries(captured) == []


def test_another_persons_preview_is_a_404_though_its_owner_has_it_kept(client, user, other_user):
    item = _ready_preview(user, "Backend developer")
    url = reverse("importer:preview", args=[item.pk])
    client.force_login(user)
    assert client.get(url).status_code == 200
    client.force_login(other_user)
    assert client.get(url).status_code == 404
