"""The API: tokens made on "Connected apps", their scopes, expiry and revocation, the jobs and
imports it serves, its problem details, rate limit headers, CORS and OpenAPI document."""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_create, token_hash
from jobs.models import Job, StageChange
from jobs.services import job_create
from tests.importer_fixtures import CAREERS_JSONLD

PROBLEM = "application/problem+json"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def make_token(user, scopes=("jobs:read", "jobs:write", "import"), **kwargs) -> str:
    return token_create(user=user, name="script", scopes=scopes, **kwargs)[1]


def api_post(client, path, body, secret, method="post"):
    return getattr(client, method)(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **bearer(secret)
    )


def test_it_creates_a_token_on_connected_apps_that_adds_and_lists_a_job(client_logged_in, user):
    page = client_logged_in.post(
        reverse("api:connected_apps"),
        {"name": "My script", "scopes": ["jobs:read", "jobs:write"], "days": "90"},
    )
    assert page.status_code == HTTPStatus.OK
    secret = page.context["secret"]
    assert secret.startswith("jtx_") and secret in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    assert token.secret_hash == token_hash(secret) and secret not in str(token.__dict__)
    assert (token.expires_at - token.created_at).days == 90
    client_logged_in.logout()

    created = api_post(client_logged_in, "/jobs", {"title": "Data Analyst"}, secret)
    listed = client_logged_in.get("/api/v1/jobs", **bearer(secret))

    assert created.status_code == HTTPStatus.CREATED, created.content
    assert listed.status_code == HTTPStatus.OK
    assert [item["title"] for item in listed.json()["items"]] == ["Data Analyst"]
    assert Job.objects.get(user=user).title == "Data Analyst"
    assert Job.objects.get(user=user).channel == "api"
    assert ApiToken.objects.get(user=user).last_used_on == timezone.localdate()
    # Shown once: the page does not show it again.
    client_logged_in.force_login(user)
    assert secret not in client_logged_in.get(reverse("api:connected_apps")).content.decode()


def test_another_persons_token_does_not_see_the_job(client, user, other_user):
    job = job_create(user=user, data={"title": "Mine"})
    secret = make_token(other_user)

    read = client.get(f"/api/v1/jobs/{job.pk}", **bearer(secret))
    changed = api_post(client, f"/jobs/{job.pk}", {"title": "Theirs"}, secret, method="patch")
    listed = client.get("/api/v1/jobs", **bearer(secret))

    assert read.status_code == changed.status_code == HTTPStatus.NOT_FOUND
    assert read["Content-Type"] == PROBLEM
    assert listed.json()["items"] == []
    assert Job.objects.get(pk=job.pk).title == "Mine"


def test_a_revoked_token_is_refused_with_401(client_logged_in, client, user):
    secret = make_token(user)
    token = ApiToken.objects.get(user=user)
    client_logged_in.post(reverse("api:token_revoke", args=[token.pk]))

    response = client.get("/api/v1/jobs", **bearer(secret))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["", "Bearer ", "Bearer jtx_not-a-token", "Basic YWxpY2U6cHc=", "Bearer " + "x" * 5000],
    ids=["none", "empty", "unknown", "basic", "huge"],
)
def test_no_valid_token_is_a_401_problem(client, db, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/jobs", **extra)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["Content-Type"] == PROBLEM


def test_an_expired_token_is_refused_with_401(client, user):
    secret = make_token(user)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get("/api/v1/jobs", **bearer(secret)).status_code == HTTPStatus.UNAUTHORIZED


def test_a_session_alone_does_not_reach_the_api(client_logged_in):
    response = client_logged_in.get("/api/v1/jobs")

    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_a_missing_scope_is_a_403(client, user):
    secret = make_token(user, scopes=("jobs:read",))

    response = api_post(client, "/jobs", {"title": "Nope"}, secret)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response["Content-Type"] == PROBLEM
    assert "jobs:write" in response.json()["detail"]
    assert not Job.objects.exists()


def test_a_restricted_account_reads_but_does_not_write(client, user):
    job = job_create(user=user, data={"title": "Kept"})
    secret = make_token(user)
    user.processing_restricted_at = timezone.now()
    user.save()

    read = client.get(f"/api/v1/jobs/{job.pk}", **bearer(secret))
    write = api_post(client, f"/jobs/{job.pk}/moves", {"stage": "applied"}, secret)

    assert read.status_code == HTTPStatus.OK
    assert write.status_code == HTTPStatus.FORBIDDEN
    assert "restricted" in write.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "A", "url": "javascript:alert(1)"}, "url"),
        ({"title": "A", "salary_min": 10, "salary_max": 5}, "salary_max"),
        ({"title": "A", "stage": "hired"}, "stage"),
        ({"company": "no title"}, "title"),
    ],
    ids=["empty-title", "bad-url", "salary-order", "bad-stage", "no-title"],
)
def test_invalid_jobs_are_422_problems_naming_the_field(client, user, body, field):
    secret = make_token(user)

    response = api_post(client, "/jobs", body, secret)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response["Content-Type"] == PROBLEM
    assert field in {error["field"] for error in response.json()["errors"]}


def test_a_body_that_is_not_json_is_a_problem_not_a_500(client, user):
    secret = make_token(user)

    response = client.post(
        "/api/v1/jobs", data="{nope", content_type="application/json", **bearer(secret)
    )

    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.UNPROCESSABLE_ENTITY)
    assert response["Content-Type"] == PROBLEM


def test_jobs_are_read_changed_moved_noted_reminded_and_deleted(client, user):
    secret = make_token(user)
    job_id = api_post(client, "/jobs", {"title": "SRE", "company": "Acme"}, secret).json()["id"]

    changed = api_post(client, f"/jobs/{job_id}", {"location": "Lisbon"}, secret, "patch")
    moved = api_post(client, f"/jobs/{job_id}/moves", {"stage": "applied"}, secret)
    noted = api_post(client, f"/jobs/{job_id}/notes", {"notes": "Called Ana"}, secret, "put")
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    reminded = api_post(client, f"/jobs/{job_id}/reminder", {"follow_up_on": day}, secret, "put")
    history = client.get(f"/api/v1/jobs/{job_id}/moves", **bearer(secret)).json()

    assert changed.json()["location"] == "Lisbon" and changed.json()["company"] == "Acme"
    assert moved.status_code == HTTPStatus.CREATED and moved.json()["stage"] == "applied"
    assert [n["body"] for n in noted.json()["notes"]] == ["Called Ana"]
    assert reminded.json()["follow_up_on"] == day
    assert [(m["from_stage"], m["to_stage"]) for m in history] == [
        ("", "saved"),
        ("saved", "applied"),
    ]
    assert StageChange.objects.filter(job_id=job_id).count() == 2

    deleted = client.delete(f"/api/v1/jobs/{job_id}", **bearer(secret))
    assert deleted.status_code == HTTPStatus.NO_CONTENT
    assert not Job.objects.filter(pk=job_id).exists()


def test_the_list_filters_searches_and_pages_by_cursor(client, user):
    for n in range(5):
        job_create(user=user, data={"title": f"Job {n}", "company": "Acme" if n % 2 else "Globex"})
    secret = make_token(user)

    first = client.get("/api/v1/jobs?limit=2", **bearer(secret)).json()
    second = client.get(f"/api/v1/jobs?limit=2&cursor={first['next_cursor']}", **bearer(secret))
    third = client.get(
        f"/api/v1/jobs?limit=2&cursor={second.json()['next_cursor']}", **bearer(secret)
    ).json()
    searched = client.get("/api/v1/jobs?q=acme", **bearer(secret)).json()
    bad_cursor = client.get("/api/v1/jobs?cursor=%%%", **bearer(secret))

    titles = [i["title"] for page in (first, second.json(), third) for i in page["items"]]
    assert titles == ["Job 4", "Job 3", "Job 2", "Job 1", "Job 0"]
    assert third["next_cursor"] is None
    newest = Job.objects.get(title="Job 4")
    assert first["items"][0]["link"] == reverse("jobs:detail", args=[newest.pk])
    assert first["items"][0]["archived"] is False and first["items"][0]["stage"] == "saved"
    assert {i["title"] for i in searched["items"]} == {"Job 1", "Job 3"}
    assert bad_cursor.status_code == HTTPStatus.BAD_REQUEST
    assert bad_cursor["Content-Type"] == PROBLEM


def test_a_duplicate_is_a_409_naming_the_job_already_tracked(client, user):
    secret = make_token(user)
    first = api_post(client, "/jobs", {"title": "A", "url": "https://x.example/j/1"}, secret)

    again = api_post(
        client, "/jobs", {"title": "A", "url": "https://x.example/j/1?utm_source=x"}, secret
    )

    assert again.status_code == HTTPStatus.CONFLICT
    assert again.json()["existing"]["id"] == first.json()["id"]


def capture() -> dict:
    return {
        "url": "https://careers.globex.example/jobs/data-analyst?utm_source=mail",
        "title": "Careers at Globex",
        "canonical": "https://careers.globex.example/jobs/data-analyst",
        "jsonld": [json.dumps(CAREERS_JSONLD)],
        "og": {"og:title": "Data Analyst"},
        "selection": "",
    }


def test_a_capture_previews_then_saves_and_a_second_capture_says_already_tracked(client, user):
    secret = make_token(user, scopes=("import", "jobs:read"))

    preview = api_post(client, "/imports", {"capture": capture()}, secret)
    body = preview.json()
    posting = body["postings"][0]
    saved = api_post(
        client,
        f"/imports/{body['id']}/confirm",
        {"title": "Data Analyst (edited)", "stage": "applied"},
        secret,
    )
    again = api_post(client, "/imports", {"capture": capture()}, secret).json()

    assert preview.status_code == HTTPStatus.CREATED, preview.content
    assert (posting["title"], posting["company"]) == ("Data Analyst", "Globex")
    assert posting["already_tracked"] is None
    assert saved.status_code == HTTPStatus.CREATED, saved.content
    job = Job.objects.get(user=user)
    assert (job.title, job.stage, job.channel) == ("Data Analyst (edited)", "applied", "api")
    assert again["postings"][0]["already_tracked"] == {
        "id": job.pk,
        "stage": "applied",
        "stage_label": "Applied",
        "link": reverse("jobs:detail", args=[job.pk]),
    }

    updated = api_post(
        client,
        f"/imports/{again['id']}/confirm",
        {"update": True, "stage": "interviewing", "location": "Porto"},
        secret,
    )
    assert updated.status_code == HTTPStatus.CREATED, updated.content
    job.refresh_from_db()
    assert (job.stage, job.location, Job.objects.count()) == ("interviewing", "Porto", 1)


def test_a_pasted_page_previews(client, user):
    secret = make_token(user, scopes=("import",))
    page = f'<html><script type="application/ld+json">{json.dumps(CAREERS_JSONLD)}</script></html>'

    response = api_post(client, "/imports", {"content": page}, secret)

    assert response.json()["postings"][0]["title"] == "Data Analyst"


@pytest.mark.parametrize(
    "body",
    [{}, {"capture": {"url": "ftp://x"}}, {"capture": {"url": "https://a.example", "jsonld": 5}},
     {"url": "not a link"}],
    ids=["nothing", "bad-scheme", "bad-jsonld", "bad-link"],
)  # fmt: skip
def test_bad_imports_are_422_problems(client, user, body):
    secret = make_token(user, scopes=("import",))

    response = api_post(client, "/imports", body, secret)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response["Content-Type"] == PROBLEM


def test_link_imports_share_the_importers_hourly_limit(client, user, settings):
    settings.IMPORTER_LINK_IMPORTS_PER_HOUR = 1
    secret = make_token(user, scopes=("import",))
    client.force_login(user)
    client.post(reverse("importer:start"), {"kind": "link", "url": "https://a.example/job/1"})
    client.logout()

    response = api_post(client, "/imports", {"url": "https://a.example/job/2"}, secret)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Content-Type"] == PROBLEM


def test_each_answer_carries_the_rate_limit_and_the_limit_is_a_429(client, user, settings):
    settings.API_REQUESTS_PER_MINUTE = 2
    secret = make_token(user)

    first = client.get("/api/v1/jobs", **bearer(secret))
    second = client.get("/api/v1/jobs", **bearer(secret))
    third = client.get("/api/v1/jobs", **bearer(secret))

    assert first["RateLimit-Policy"] == '"minute";q=2;w=60'
    assert first["RateLimit"].startswith('"minute";r=1;t=')
    assert second["RateLimit"].startswith('"minute";r=0;t=')
    assert third.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert third["Content-Type"] == PROBLEM
    assert third["RateLimit"].startswith('"minute";r=0;')


def test_the_openapi_document_lists_the_job_paths(client, db):
    response = client.get("/api/v1/openapi.json")
    paths = response.json()["paths"]

    assert response.status_code == HTTPStatus.OK
    assert response.json()["openapi"].startswith("3.")
    assert {"/api/v1/jobs", "/api/v1/jobs/{job_id}", "/api/v1/jobs/{job_id}/moves"} <= set(paths)
    assert {"get", "post"} <= set(paths["/api/v1/jobs"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/jobs/{job_id}"])


def test_the_docs_page_lists_the_operations_without_outside_assets(client, db):
    response = client.get(reverse("api:docs"))
    html = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert "GET /api/v1/jobs" in html and "POST /api/v1/imports" in html
    assert "cdn" not in html.lower()


def test_an_unknown_api_path_is_a_problem(client, db):
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == PROBLEM


def test_cors_answers_only_extension_origins_and_only_with_a_token(client, user):
    secret = make_token(user)
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"

    preflight = client.options(
        "/api/v1/imports",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,content-type",
    )
    without_token = client.options(
        "/api/v1/imports",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    other_site = client.get("/api/v1/jobs", HTTP_ORIGIN="https://evil.example", **bearer(secret))
    extension = client.get("/api/v1/jobs", HTTP_ORIGIN=origin, **bearer(secret))
    firefox = client.get("/api/v1/jobs", HTTP_ORIGIN="moz-extension://1234-abcd", **bearer(secret))

    assert preflight.status_code == HTTPStatus.NO_CONTENT
    assert preflight["Access-Control-Allow-Origin"] == origin
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in without_token
    assert "Access-Control-Allow-Origin" not in other_site
    assert extension["Access-Control-Allow-Origin"] == origin
    assert firefox["Access-Control-Allow-Origin"] == "moz-extension://1234-abcd"
    assert "Access-Control-Allow-Credentials" not in extension


def test_connecting_the_extension_makes_an_import_and_read_token(client_logged_in, user):
    asked = client_logged_in.get(reverse("api:connect_extension"))
    approved = client_logged_in.post(reverse("api:connect_extension"))

    assert "jobtrax-extension-token" not in asked.content.decode()
    token = ApiToken.objects.get(user=user)
    assert (token.client, token.scopes) == ("extension", ["import", "jobs:read"])
    assert f'data-token="{approved.context["secret"]}"' in approved.content.decode()
    assert "no-store" in approved["Cache-Control"]


def test_connecting_needs_a_signed_in_post_with_csrf(client, user):
    client.force_login(user)
    strict = type(client)(enforce_csrf_checks=True)
    strict.force_login(user)

    assert strict.post(reverse("api:connect_extension")).status_code == HTTPStatus.FORBIDDEN
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{"name": "", "scopes": ["jobs:read"], "days": "90"},
     {"name": "x", "scopes": [], "days": "90"},
     {"name": "x", "scopes": ["admin"], "days": "90"},
     {"name": "x", "scopes": ["jobs:read"], "days": "9999"}],
    ids=["no-name", "no-scope", "unknown-scope", "too-long"],
)  # fmt: skip
def test_a_bad_token_form_is_a_400_with_a_message(client_logged_in, data):
    response = client_logged_in.post(reverse("api:connected_apps"), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not ApiToken.objects.exists()


def test_an_outsider_cannot_revoke_anothers_token(client_logged_in, other_user):
    token, _ = token_create(user=other_user, name="theirs", scopes=["jobs:read"])

    response = client_logged_in.post(reverse("api:token_revoke", args=[token.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_token_lasts_at_most_a_year(user):
    with pytest.raises(Exception, match="365"):
        token_create(user=user, name="x", scopes=["jobs:read"], days=366)


def test_a_capture_saved_by_the_extension_records_its_channel(client, user):
    secret = token_create(
        user=user, name="ext", scopes=["import", "jobs:read"], client=ApiToken.Client.EXTENSION
    )[1]

    preview = api_post(client, "/imports", {"capture": capture()}, secret).json()
    api_post(client, f"/imports/{preview['id']}/confirm", {}, secret)

    job = Job.objects.get(user=user)
    assert (job.channel, job.board) == ("extension", "")


def test_a_method_a_path_does_not_take_is_a_405_problem(client, user):
    secret = make_token(user)

    response = client.put("/api/v1/jobs", **bearer(secret))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Content-Type"] == PROBLEM
