"""Access and portability: the export zip, its download, and its limits."""

import io
import json
import zipfile
from datetime import datetime, timedelta
from http import HTTPStatus

import jsonschema
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from logs_retention.models import SecurityEvent
from logs_retention.services import retention_run
from rights import services
from rights.models import DataExport, DataSubjectRequest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the queued job) when the block ends, as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def reauthed(client_logged_in, password):
    response = client_logged_in.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == HTTPStatus.FOUND
    return client_logged_in


def _zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_it_asks_for_reauthentication_before_an_export(client_logged_in, user):
    response = client_logged_in.post(reverse("rights:export_request"))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_reauthenticate") in response["Location"]
    assert not DataExport.objects.exists()


def test_it_sends_visitors_to_sign_in(client):
    response = client.get(reverse("rights:export_request"))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response["Location"]


def test_it_builds_a_zip_with_data_schema_csv_and_readme(committed, reauthed, user):
    SecurityEvent.objects.create(
        created_at=timezone.now(), kind="login_succeeded", user=user, ip="81.2.69.142"
    )
    with committed():
        response = reauthed.post(reverse("rights:export_request"))
    export = DataExport.objects.get(user=user)
    assert response["Location"] == reverse("rights:export_detail", args=[export.token])
    assert export.status == DataExport.Status.READY and export.progress == 100
    assert export.expires_at - export.ready_at == timedelta(days=7)

    page = reauthed.get(reverse("rights:export_detail", args=[export.token]))
    assert reverse("rights:export_download", args=[export.token]) in page.content.decode()
    download = reauthed.get(reverse("rights:export_download", args=[export.token]))
    assert download.status_code == HTTPStatus.OK
    archive = _zip_of(download)
    names = set(archive.namelist())
    assert {
        "data.json",
        "schema.json",
        "README.html",
        "account.csv",
        "security_events.csv",
    } <= names
    data = json.loads(archive.read("data.json"))
    jsonschema.validate(data, json.loads(archive.read("schema.json")))
    assert data["format_version"] == 1
    assert data["records"]["account"][0]["email"] == "alice@example.com"
    assert "password" not in data["records"]["account"][0]
    assert data["records"]["security_events"][0]["ip"] == "81.2.69.142"
    assert data["records"]["email_addresses"] == [
        {"email": "alice@example.com", "verified": True, "primary": True}
    ]
    csv_text = archive.read("security_events.csv").decode()
    assert csv_text.splitlines()[0].startswith("created_at,kind")
    readme = archive.read("README.html").decode()
    for words in ("Legitimate interests", "Hosting provider", "Inferred from your IP address",
                  "12 months", "Your rights"):  # fmt: skip
        assert words in readme


def test_it_emails_the_owner_when_the_export_is_ready(committed, reauthed, user):
    with committed():
        reauthed.post(reverse("rights:export_request"))
    export = DataExport.objects.get(user=user)
    ready = [m for m in mail.outbox if "export is ready" in m.subject]
    assert len(ready) == 1 and ready[0].to == ["alice@example.com"]
    assert reverse("rights:export_detail", args=[export.token]) in ready[0].body


def test_it_records_the_request_and_the_download_as_security_events(committed, reauthed, user):
    with committed():
        reauthed.post(reverse("rights:export_request"))
    export = DataExport.objects.get(user=user)
    reauthed.get(reverse("rights:export_download", args=[export.token]))
    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {"export_requested", "export_downloaded"} <= kinds


def test_it_creates_a_self_service_request_in_the_staff_queue(committed, reauthed, user):
    with committed():
        reauthed.post(reverse("rights:export_request"))
    dsr = DataSubjectRequest.objects.get(user=user)
    assert dsr.kind == "export" and dsr.channel == "self_service"
    assert dsr.status == "completed" and dsr.is_verified


def test_it_allows_one_export_per_24_hours_with_a_clear_message(committed, reauthed, user):
    with committed():
        reauthed.post(reverse("rights:export_request"))
    with committed():
        response = reauthed.post(reverse("rights:export_request"), follow=True)
    assert DataExport.objects.filter(user=user).count() == 1
    assert "one export every 24 hours" in response.content.decode()


def test_it_makes_one_job_of_a_double_submission(committed, user):
    with committed():
        first, created = services.export_request(user=user)
    # the worker has not started the first one yet
    DataExport.objects.filter(pk=first.pk).update(status=DataExport.Status.PENDING)
    with committed():
        second, created_again = services.export_request(user=user)
    assert created and not created_again and second.pk == first.pk
    assert DataExport.objects.filter(user=user).count() == 1


def test_it_shows_progress_while_the_job_runs(client_logged_in, user):
    export = DataExport.objects.create(user=user, token="t" * 43, status="running", progress=40)
    response = client_logged_in.get(reverse("rights:export_detail", args=[export.token]))
    body = response.content.decode()
    assert "Being built" in body and "40%" in body and 'http-equiv="refresh"' in body


@pytest.mark.parametrize("view", ["rights:export_detail", "rights:export_download"])
def test_it_hides_another_users_export(committed, client, other_user, user, view):
    with committed():
        export, _ = services.export_request(user=user)
    client.force_login(other_user)
    assert client.get(reverse(view, args=[export.token])).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("token", ["nope", "a" * 43, "../../etc/passwd"])
def test_it_answers_404_to_a_made_up_token(client_logged_in, token):
    url = f"/data/exports/{token}/download/"
    assert client_logged_in.get(url).status_code == HTTPStatus.NOT_FOUND


def test_it_refuses_a_download_to_visitors(committed, client, user):
    with committed():
        export, _ = services.export_request(user=user)
    response = client.get(reverse("rights:export_download", args=[export.token]))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response["Location"]


def test_it_deletes_the_file_after_seven_days_and_says_so(committed, client_logged_in, user, media):
    with committed():
        export, _ = services.export_request(user=user)
    export.refresh_from_db()
    path = media / export.file.name
    assert path.exists()
    later = timezone.now() + timedelta(days=7, minutes=1)
    first = retention_run(policy_name="export_files", now=later)
    assert first.rows_deleted == 1
    assert not path.exists()
    response = client_logged_in.get(reverse("rights:export_download", args=[export.token]))
    assert response.status_code == HTTPStatus.GONE
    assert "expired" in response.content.decode()
    # running the purge again changes nothing
    again = retention_run(policy_name="export_files", now=timezone.now() + timedelta(days=8))
    assert again.rows_deleted == 0


def test_it_lets_an_expired_link_stay_dead_before_the_purge_runs(committed, client_logged_in, user):
    with committed():
        export, _ = services.export_request(user=user)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_logged_in.get(reverse("rights:export_download", args=[export.token]))
    assert response.status_code == HTTPStatus.GONE


def test_it_streams_rows_instead_of_loading_them(committed, user, monkeypatch):
    """Each kind is read through QuerySet.iterator(), never as one list."""
    from django.db.models.query import QuerySet

    calls = []
    original = QuerySet.iterator

    def spy(self, *args, **kwargs):
        calls.append(self.model._meta.label)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    with committed():
        services.export_request(user=user)
    assert "accounts.User" in calls and "logs_retention.SecurityEvent" in calls


def test_the_link_lives_as_long_as_the_retention_policy_keeps_the_file(
    committed, user, settings, media
):
    settings.RETENTION_EXPORT_FILE_DAYS = 3

    with committed():
        export, _ = services.export_request(user=user)
    export.refresh_from_db()

    assert export.expires_at - export.ready_at == timedelta(days=3)


def test_an_export_built_while_its_account_is_erased_leaves_no_file(
    user, media, monkeypatch, django_capture_on_commit_callbacks
):
    from rights import export as export_module

    real_build = export_module.build_zip

    def build_then_erase(export):
        real_build(export)
        services.account_erase(user_id=user.pk, reason="user_request")

    monkeypatch.setattr(export_module, "build_zip", build_then_erase)
    export = DataExport.objects.create(user=user)

    assert services.export_build(export_id=export.pk) is False
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert [path for path in media.rglob("*") if path.is_file()] == []


def test_it_dates_every_file_of_the_zip_when_it_was_built(committed, reauthed, user):
    with committed():
        reauthed.post(reverse("rights:export_request"))
    export = DataExport.objects.get(user=user)

    archive = _zip_of(reauthed.get(reverse("rights:export_download", args=[export.token])))

    built = timezone.localtime(export.created_at).replace(microsecond=0, tzinfo=None)
    for info in archive.infolist():
        dated = datetime(*info.date_time)
        assert abs(dated - built) < timedelta(minutes=5), info.filename


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("https://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]
)
def test_no_csv_of_the_export_carries_a_formula(user, payload):
    import csv
    import io
    import zipfile

    from jobs.services import job_create
    from rights.export import write_zip

    job_create(user=user, data={"title": payload, "company": payload, "notes": payload})
    target = io.BytesIO()

    write_zip(user_id=user.pk, target=target)

    archive = zipfile.ZipFile(target)
    cells = [
        cell
        for name in archive.namelist()
        if name.endswith(".csv")
        for row in csv.reader(io.StringIO(archive.read(name).decode()))
        for cell in row
    ]
    assert payload.strip() in " ".join(cells)
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_export_download_is_not_stored(committed, reauthed, user):
    with committed():
        reauthed.post(reverse("rights:export_request"))
    export = DataExport.objects.get(user=user)

    download = reauthed.get(reverse("rights:export_download", args=[export.token]))

    assert download.status_code == HTTPStatus.OK
    assert "no-store" in download["Cache-Control"]
