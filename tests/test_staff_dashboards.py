"""Staff dashboards: the right ones for each role, k-anonymous locations, the DSR queue,
retention runs and consent rates, as server-rendered SVG under the CSP."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.dashboards import k_anonymous
from tests.conftest import make_user

VISIBLE = {
    "support": {"locations", "requests", "consent"},
    "privacy": {"locations", "requests", "consent"},
    "ops": {"retention", "health"},
}
ALL = {"locations", "requests", "retention", "consent", "health"}


def dashboard(slug: str) -> str:
    return reverse("admin:dashboard", args=[slug])


@pytest.mark.parametrize("role", ["support", "privacy", "ops"])
def test_it_opens_each_role_only_its_dashboards(as_role, client, role):
    as_role(role)
    for slug in ALL:
        response = client.get(dashboard(slug))
        expected = HTTPStatus.OK if slug in VISIBLE[role] else HTTPStatus.FORBIDDEN
        assert response.status_code == expected, slug


@pytest.mark.parametrize("role", ["support", "privacy", "ops"])
def test_it_lists_on_the_index_only_the_dashboards_of_the_role(as_role, client, role):
    as_role(role)
    response = client.get(reverse("admin:index"))
    listed = {d.slug for d in response.context["dashboards"]}
    assert listed == VISIBLE[role]
    for slug in ALL - VISIBLE[role]:
        assert dashboard(slug).encode() not in response.content


def test_it_answers_an_unknown_dashboard_with_404(staff_client):
    assert staff_client.get(dashboard("nope")).status_code == HTTPStatus.NOT_FOUND


def test_it_sends_an_outsider_to_sign_in(client_logged_in):
    response = client_logged_in.get(dashboard("locations"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def test_it_sends_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get(dashboard("locations"))
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"GB": 12, "SE": 10, "JP": 3}, [("GB", 12), ("SE", 10), ("Other", None)]),
        ({"GB": 12, "SE": 4, "JP": 7}, [("GB", 12), ("Other", 11)]),
        ({"GB": 9}, [("Other", None)]),
        ({}, []),
    ],
)
def test_it_groups_places_under_k_as_other(counts, expected):
    assert k_anonymous(counts, 10) == expected


def test_it_never_shows_a_country_with_fewer_than_k_accounts(as_role, client, settings):
    settings.STAFF_K_ANONYMITY = 10
    for i in range(11):
        make_user(f"gb{i}@example.com", country="GB", region="ENG")
    for i in range(3):
        make_user(f"se{i}@example.com", country="SE", region="E")
    as_role("support")

    response = client.get(dashboard("locations"))

    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "United Kingdom" in body
    assert "Sweden" not in body
    assert "Other" in body
    assert "fewer than 10" in body


def test_it_draws_svg_without_inline_styles_or_scripts(as_role, client):
    for i in range(10):
        make_user(f"gb{i}@example.com", country="GB")
    as_role("support")
    response = client.get(dashboard("locations"))
    body = response.content.decode()
    assert "<svg" in body and "<rect" in body
    assert "style=" not in body
    assert "<script>" not in body
    assert "cdn" not in body.lower()
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]


def test_it_shows_the_request_queue_with_overdue_and_due_soon(as_role, client, user):
    from rights.models import DataSubjectRequest

    today = timezone.localdate()

    def request(days: int, status="received"):
        r = DataSubjectRequest(kind="access", channel="email", status=status, user=user)
        r.due_on = today + timedelta(days=days)
        r.save()
        return r

    overdue, soon, later = request(-2), request(3), request(20)
    closed = request(-10, status="completed")
    as_role("support")

    response = client.get(dashboard("requests"))

    assert response.status_code == HTTPStatus.OK
    urgent = [row["request"].pk for row in response.context["urgent"]]
    assert urgent == [overdue.pk, soon.pk]
    assert later.pk not in urgent and closed.pk not in urgent
    assert b"(overdue)" in response.content
    assert user.email.encode() not in response.content


def test_it_shows_the_last_retention_run_with_the_next_and_failures(as_role, client):
    from logs_retention.models import RetentionRun

    now = timezone.now()
    RetentionRun.objects.create(
        policy="security_events",
        started_at=now - timedelta(days=2),
        outcome="done",
        rows_deleted=5,
    )
    RetentionRun.objects.create(
        policy="security_events",
        started_at=now - timedelta(days=1),
        outcome="done",
        rows_deleted=42,
    )
    RetentionRun.objects.create(
        policy="export_files", started_at=now - timedelta(hours=1), outcome="failed"
    )
    as_role("ops")

    response = client.get(dashboard("retention"))

    assert response.status_code == HTTPStatus.OK
    rows = {row["policy"].name: row for row in response.context["policies"]}
    assert rows["security_events"]["last"].rows_deleted == 42
    assert rows["export_files"]["failures"] == 1
    assert rows["security_events"]["next_at"] > now
    assert rows["security_events"]["next_at"] - now <= timedelta(days=1)


def test_it_shows_consent_grant_rates_per_week(as_role, client):
    from consent.models import ConsentRecord

    for analytics in (True, True, True, False):
        ConsentRecord.objects.create(
            browser_id="b", analytics=analytics, marketing=False, method="custom",
            config_version="1",
        )  # fmt: skip
    as_role("privacy")

    response = client.get(dashboard("consent"))

    assert response.status_code == HTTPStatus.OK
    (week,) = response.context["weeks"]
    assert (week["total"], week["analytics_rate"], week["marketing_rate"]) == (4, 75, 0)
    assert week["analytics_refused"] == 25
    assert b"dash-analytics" in response.content


def test_it_shows_ops_stale_workers_and_dropped_log_counts(as_role, client):
    from jobtrax.models import Heartbeat
    from logs_retention.models import LogCounter

    now = timezone.now()
    Heartbeat.objects.create(name="celery-worker", beat_at=now - timedelta(minutes=1))
    Heartbeat.objects.create(name="celery-beat", beat_at=now - timedelta(minutes=30))
    LogCounter.objects.create(name=LogCounter.DROPPED_REQUEST_LOGS, value=17)
    as_role("ops")

    response = client.get(dashboard("health"))

    assert response.status_code == HTTPStatus.OK
    states = {row["beat"].name: row["stale"] for row in response.context["beats"]}
    assert states == {"celery-worker": False, "celery-beat": True}
    assert b"request_logs_dropped" in response.content
    assert b">17<" in response.content


def _clock_at(monkeypatch, hour: int, minute: int, second: int):
    fixed = timezone.now().replace(hour=hour, minute=minute, second=second, microsecond=0)
    monkeypatch.setattr("django.utils.timezone.now", lambda: fixed)
    return fixed


def test_it_shows_the_next_run_at_the_minute_beat_fires_it(as_role, client, monkeypatch):
    as_role("ops")
    now = _clock_at(monkeypatch, 19, 3, 30)

    response = client.get(dashboard("retention"))

    rows = {row["policy"].name: row for row in response.context["policies"]}
    # "every hour at :05" and "daily at 03:20 UTC" in jobtrax/celery.py
    assert rows["unverified_accounts"]["next_at"] == now.replace(minute=5, second=0)
    tomorrow = now + timedelta(days=1)
    assert rows["security_events"]["next_at"] == tomorrow.replace(hour=3, minute=20, second=0)
    assert f"{now:%Y-%m-%d} 19:05 UTC".encode() in response.content


def test_it_says_never_run_for_a_policy_without_runs_instead_of_zero_rows(as_role, client):
    from logs_retention.models import RetentionRun

    RetentionRun.objects.create(
        policy="security_events", started_at=timezone.now(), outcome="done", rows_deleted=0
    )
    as_role("ops")

    response = client.get(dashboard("retention"))

    bars = {bar["label"]: bar["value"] for bar in response.context["chart"]["bars"]}
    assert bars["security_events"] == 0
    assert bars["export_files"] is None
    body = response.content.decode()
    assert body.count("never run") == len(bars) - 1


def test_it_draws_a_week_where_everyone_refused_with_its_figures(as_role, client):
    from consent.models import ConsentRecord

    for _ in range(3):
        ConsentRecord.objects.create(
            browser_id="b", analytics=False, marketing=False, method="reject-all",
            config_version="1",
        )  # fmt: skip
    as_role("privacy")

    response = client.get(dashboard("consent"))

    chart = response.context["chart"]
    [group] = chart["groups"]
    for bar in group["bars"]:
        assert (bar["height"], bar["refused_height"]) == (0, chart["plot_height"])
    assert response.content.decode().count(">0%</text>") == 3  # the 0% tick and both bars


def test_it_leaves_room_above_the_100_percent_label(as_role, client):
    as_role("privacy")

    chart = client.get(dashboard("consent")).context["chart"]

    top_tick = next(tick for tick in chart["ticks"] if tick["value"] == 100)
    assert top_tick["y"] >= 12  # room above the line for the 12 px label drawn around it


def test_it_shows_beat_missing_when_only_the_worker_has_a_heartbeat(as_role, client):
    from jobtrax.models import Heartbeat

    Heartbeat.objects.create(name="celery-worker", beat_at=timezone.now())
    as_role("ops")

    response = client.get(dashboard("health"))

    rows = {row["name"]: row for row in response.context["beats"]}
    assert rows["celery-beat"]["beat"] is None and rows["celery-beat"]["stale"]
    assert not rows["celery-worker"]["stale"]
    assert b"no heartbeat yet" in response.content
