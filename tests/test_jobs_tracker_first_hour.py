"""What a new person stumbles on in the tracker: the stage picked on add, time in a stage,
the list's search and sorts, the page kept in place after a move."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job, Stage, StageChange
from tests.jobs_fixtures import add_job

pytestmark = pytest.mark.django_db


def _add(client, **fields):
    data = {"title": "Platform engineer", "workplace": "unknown", **fields}
    return client.post(reverse("jobs:new"), data)


def test_the_add_form_has_a_stage_picker(client_logged_in):
    html = client_logged_in.get(reverse("jobs:new")).content.decode()

    assert 'name="stage"' in html
    assert '<option value="interviewing">Interviewing</option>' in html


def test_a_picked_stage_is_where_the_new_job_lands(client_logged_in, user):
    _add(client_logged_in, stage="interviewing")

    job = Job.objects.get(user=user)
    assert job.stage == Stage.INTERVIEWING
    assert list(job.stage_changes.values_list("to_stage", flat=True)) == [Stage.INTERVIEWING]


def test_a_date_applied_means_applied_unless_another_stage_is_picked(client_logged_in, user):
    applied = timezone.localdate() - timedelta(days=6)

    _add(client_logged_in, applied_on=applied.isoformat())
    _add(client_logged_in, title="Kept saved", applied_on=applied.isoformat(), stage="saved")

    job = Job.objects.get(user=user, title="Platform engineer")
    assert job.stage == Stage.APPLIED
    assert job.applied_on == applied
    assert Job.objects.get(user=user, title="Kept saved").stage == Stage.SAVED


def test_without_a_date_or_a_pick_a_new_job_is_saved(client_logged_in, user):
    _add(client_logged_in)

    assert Job.objects.get(user=user).stage == Stage.SAVED


def test_the_edit_form_has_no_stage_picker(client_logged_in, user):
    job = add_job(user)

    html = client_logged_in.get(reverse("jobs:edit", args=[job.pk])).content.decode()

    assert 'name="stage"' not in html


def test_time_in_stage_counts_from_the_date_applied(client_logged_in, user):
    applied = timezone.localdate() - timedelta(days=6)
    _add(client_logged_in, applied_on=applied.isoformat())

    board = client_logged_in.get(reverse("jobs:board")).content.decode()

    assert "6 days in this stage" in board
    change = StageChange.objects.get(job__user=user)
    assert timezone.localdate(change.changed_at) == applied


def test_time_in_stage_on_cards_counts_days_since_the_last_move(client_logged_in, user):
    job = add_job(user)
    Job.objects.filter(pk=job.pk).update(stage_changed_at=timezone.now() - timedelta(days=4))

    board = client_logged_in.get(reverse("jobs:board")).content.decode()

    assert "4 days in this stage" in board


def _titles(response) -> list[str]:
    html = response.content.decode()
    table = html[html.index('data-testid="job-table"') :]
    return [
        part.split(">", 1)[1].split("<", 1)[0]
        for part in table.split('<td data-label="Job"><a href=')[1:]
    ]


@pytest.mark.parametrize(
    ("field", "value", "word"),
    [
        ("location", "Lyon, France", "lyon"),
        ("notes", "met them at the fair", "fair"),
        ("description", "<p>We build tunnels under the Alps.</p>", "tunnels"),
        ("company", "Zeta Works", "zeta"),
    ],
)
def test_the_list_search_covers_every_text_a_person_remembers(
    client_logged_in, user, field, value, word
):
    add_job(user, "Found", **{field: value})
    add_job(user, "Other", company="Elsewhere")

    response = client_logged_in.get(reverse("jobs:list"), {"q": word})

    assert _titles(response) == ["Found"]


def test_the_list_sorts_by_salary_date_applied_and_last_activity(client_logged_in, user):
    from jobs import notes

    low = add_job(user, "Low pay", salary_min=30000, applied_on="2026-01-10")
    high = add_job(user, "High pay", salary_min=50000, salary_max=90000)
    none = add_job(user, "No pay given", applied_on="2026-03-01")
    notes.note_add(job=low, body="called them")
    url = reverse("jobs:list")

    assert _titles(client_logged_in.get(url, {"sort": "salary"})) == [
        "High pay", "Low pay", "No pay given"
    ]  # fmt: skip
    assert _titles(client_logged_in.get(url, {"sort": "applied"}))[:2] == [
        "No pay given", "Low pay"
    ]  # fmt: skip
    assert _titles(client_logged_in.get(url, {"sort": "updated"}))[0] == "Low pay"
    assert high.pk and none.pk


def test_the_list_filters_by_stage_and_shows_location_and_salary(client_logged_in, user):
    from jobs import services

    job = add_job(user, "Moved", location="Lyon, France", salary_min=40000, salary_currency="EUR")
    add_job(user, "Still saved")
    services.job_move(job=job, stage=Stage.INTERVIEWING)

    response = client_logged_in.get(reverse("jobs:list"), {"stage": "interviewing"})

    assert _titles(response) == ["Moved"]
    assert "Lyon, France" in response.content.decode()
    assert "40,000 EUR" in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"q": "role company"}, {"sort": "salary"}, {"sort": "applied", "stage": "applied"}]
)
def test_searching_and_sorting_the_list_takes_the_same_queries_for_10_or_200_jobs(
    client, user, other_user, query
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.test_jobs_queries import _fill

    _fill(user, 10)
    _fill(other_user, 200)
    counts = []
    for who in (user, other_user):
        client.force_login(who)
        client.get(reverse("jobs:list"), query)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("jobs:list"), query).status_code == HTTPStatus.OK
        counts.append(len(captured))

    assert counts[0] == counts[1]


def _labels(html: str) -> list[str]:
    import lxml.html

    return [
        " ".join(label.text_content().split()) for label in lxml.html.fromstring(html).iter("label")
    ]


def test_the_add_form_asks_the_essentials_first_and_folds_the_rest(client_logged_in):
    import lxml.html

    html = client_logged_in.get(reverse("jobs:new")).content.decode()
    tree = lxml.html.fromstring(html)
    [essentials] = tree.xpath('//*[@data-testid="essential-fields"]')
    [more] = tree.xpath('//details[@data-testid="more-details"]')

    first = [e.get("name") for e in essentials.xpath(".//input|.//select|.//textarea")]
    folded = [e.get("name") for e in more.xpath(".//input|.//select|.//textarea")]
    assert first[:3] == ["title", "company", "url"]
    assert {"stage", "applied_on", "location"} <= set(first)
    assert {"salary_min", "description", "notes", "follow_up_on", "valid_through"} <= set(folded)
    assert more.get("open") is None
    assert "More details" in more.xpath("./summary")[0].text_content()


def test_an_error_in_a_folded_field_opens_more_details(client_logged_in):
    import lxml.html

    response = client_logged_in.post(
        reverse("jobs:new"),
        {"title": "X", "workplace": "unknown", "salary_min": "9", "salary_max": "1"},
    )

    [more] = lxml.html.fromstring(response.content.decode()).xpath(
        "//details[@data-testid='more-details']"
    )
    assert more.get("open") is not None


@pytest.mark.parametrize("name", ["jobs:new", "importer:start", "account_signup"])
def test_optional_appears_once_per_label(client, user, name):
    if name != "account_signup":
        client.force_login(user)
    html = client.get(reverse(name)).content.decode()

    labels = _labels(html)
    assert labels
    assert [label for label in labels if label.lower().count("optional") > 1] == []


def test_a_move_without_javascript_comes_back_to_the_moved_card(client_logged_in, user):
    job = add_job(user)

    response = client_logged_in.post(reverse("jobs:move", args=[job.pk]), {"stage": "offer"})

    assert response["Location"].endswith(f"#job-{job.pk}")
    board = client_logged_in.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="job-{job.pk}"' in board


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Berlin, BE, DE", "Berlin, Germany"),
        ("Munich, BY, DE", "Munich, Bayern, Germany"),
        ("Austin, TX, US", "Austin, Texas, United States"),
        ("Paris, FR", "Paris, France"),
        ("Lyon, France", "Lyon, France"),
        ("New York, NY", "New York, NY"),
        ("Remote", "Remote"),
    ],
)
def test_locations_read_as_places(user, given, stored):
    assert add_job(user, location=given).location == stored


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (
            "https://jobs.example/42?utm_source=li&utm_medium=social&id=7&gclid=abc",
            "https://jobs.example/42?id=7",
        ),
        ("https://www.linkedin.com/jobs/view/123/?trk=public_jobs&refId=x%3D%3D",
         "https://www.linkedin.com/jobs/view/123/"),
        ("https://acme.example/careers?fbclid=1&team=ops", "https://acme.example/careers?team=ops"),
        ("https://acme.example/careers?b=2&a=1", "https://acme.example/careers?b=2&a=1"),
    ],
)  # fmt: skip
def test_stored_links_drop_tracking_parameters(user, given, stored):
    job = add_job(user, url=given, apply_url=given)

    assert (job.url, job.apply_url) == (stored, stored)


def test_a_link_with_other_tracking_parameters_is_a_duplicate(user):
    from jobs import services

    add_job(user, url="https://jobs.example/42?utm_campaign=a")

    with pytest.raises(services.DuplicateJob):
        add_job(user, url="https://jobs.example/42?trk=b&gclid=c")


def test_your_data_lists_each_job_with_the_date_it_will_be_deleted(client_logged_in, user):
    import lxml.html

    from jobs import services

    add_job(user, "On the board")
    first = add_job(user, "Archived first")
    second = add_job(user, "Archived later")
    services.job_archive(job=first)
    Job.objects.filter(pk=first.pk).update(archived_at=timezone.now() - timedelta(days=100))
    services.job_archive(job=second)
    first.refresh_from_db()

    overview = client_logged_in.get(reverse("rights:your_data")).content.decode()
    [link] = lxml.html.fromstring(overview).xpath('//a[@data-testid="deletion-dates-link"]')
    assert "3 jobs" in link.text_content()
    html = client_logged_in.get(link.get("href")).content.decode()

    [table] = lxml.html.fromstring(html).xpath('//table[@data-testid="purge-dates"]')
    rows = [[" ".join(td.text_content().split()) for td in tr.xpath("./td")]
            for tr in table.xpath("./tbody/tr")]  # fmt: skip
    first_purge = timezone.localtime(first.archived_at + timedelta(days=730))
    assert rows[0][0] == "Archived first"
    assert rows[0][2].startswith(f"{first_purge:%-d %b %Y}")
    assert rows[1][0] == "Archived later"
    assert rows[2] == ["On the board", "Acme", "Kept while on your board"]
    rule = lxml.html.fromstring(html).xpath('//*[@data-testid="purge-rule"]')[0].text_content()
    assert "Archiving a job starts its clock" in rule
    assert "archiving it again starts it afresh" in rule


def test_jobs_imported_from_a_spreadsheet_count_their_time_since_the_date_applied(
    client_logged_in, user
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    applied = timezone.localdate() - timedelta(days=9)
    content = f"Title,Status,Date applied\nImported,applied,{applied.isoformat()}\n".encode()
    preview = client_logged_in.post(
        reverse("jobs:csv_import"), {"file": SimpleUploadedFile("jobs.csv", content, "text/csv")}
    ).context["preview"]
    client_logged_in.post(reverse("jobs:csv_import_confirm", args=[preview.token]))

    board = client_logged_in.get(reverse("jobs:board")).content.decode()

    assert "9 days in this stage" in board
