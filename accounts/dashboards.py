"""Staff dashboards: charts drawn on the server as SVG (no script, no CDN, nothing inline).

Each dashboard names the permission that opens it; the admin index lists only those a person
may open. Models of other apps are looked up lazily, so a missing app shows "not available".
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_countries import countries

CHART_WIDTH = 640
LABEL_WIDTH = 200
BAR_HEIGHT = 22
BAR_GAP = 8
DUE_SOON_DAYS = 5


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    permission: str
    build: Callable[[], dict]


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


# Charts ------------------------------------------------------------------------------------


def hbar_chart(rows: list[tuple[str, int | None]], *, none_label: str = "") -> dict:
    """Geometry of a horizontal bar chart; a value of None is drawn as `none_label`, no bar."""
    top = max([v for _, v in rows if v] or [1])
    plot = CHART_WIDTH - LABEL_WIDTH - 60
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * (BAR_HEIGHT + BAR_GAP)
        width = round(plot * (value or 0) / top)
        bars.append(
            {
                "label": label,
                "value": value,
                "y": y,
                "text_y": y + BAR_HEIGHT - 6,
                "x": LABEL_WIDTH,
                "width": max(width, 1) if value else 0,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP),
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "bars": bars,
        "none_label": none_label,
    }


def k_anonymous(counts: dict[str, int], k: int) -> list[tuple[str, int | None]]:
    """Rows of (label, count) with every group under k merged into "Other".

    If "Other" itself holds fewer than k accounts its figure is withheld (None).
    """
    rows = sorted(((label, n) for label, n in counts.items() if n >= k), key=lambda r: -r[1])
    other = sum(n for n in counts.values() if n < k)
    if other:
        rows.append(("Other", other if other >= k else None))
    return rows


# Where users are ---------------------------------------------------------------------------


def _country_name(code: str) -> str:
    return countries.name(code) or code if code else "Unknown"


def build_locations() -> dict:
    from django.contrib.auth import get_user_model

    k = settings.STAFF_K_ANONYMITY
    # Accounts that objected to processing on legitimate interests, or restricted it, are left
    # out (User.processing_objected).
    accounts = get_user_model().objects.filter(
        is_staff=False,
        is_active=True,
        processing_objected_at__isnull=True,
        processing_restricted_at__isnull=True,
    )
    by_country = {
        _country_name(row["country"]): row["n"]
        for row in accounts.values("country").annotate(n=Count("id"))
    }
    by_region = {
        f"{_country_name(row['country'])}, {row['region']}": row["n"]
        for row in accounts.exclude(region="").values("country", "region").annotate(n=Count("id"))
    }
    return {
        "k": k,
        "countries": hbar_chart(k_anonymous(by_country, k), none_label=f"fewer than {k}"),
        "regions": hbar_chart(k_anonymous(by_region, k), none_label=f"fewer than {k}"),
    }


# Data-subject requests ---------------------------------------------------------------------


def build_requests() -> dict:
    Request = _model("rights.DataSubjectRequest")
    if Request is None:
        return {"available": False}
    today = timezone.localdate()
    open_requests = Request.objects.filter(status__in=Request.OPEN_STATUSES)
    by_status = dict(Request.objects.values_list("status").annotate(n=Count("id")))
    labels = dict(Request.Status.choices)
    status_rows = [(labels[s], by_status.get(s, 0)) for s in labels]
    buckets = [
        ("Overdue", Q(due_on__lt=today)),
        (f"Due within {DUE_SOON_DAYS} days", Q(due_on__range=(today, today + timedelta(5)))),
        ("Due in 6 to 14 days", Q(due_on__range=(today + timedelta(6), today + timedelta(14)))),
        ("Due later", Q(due_on__gt=today + timedelta(14))),
    ]
    counts = open_requests.aggregate(
        **{f"b{i}": Count("id", filter=cond) for i, (_, cond) in enumerate(buckets)}
    )
    urgent = list(
        open_requests.filter(due_on__lte=today + timedelta(DUE_SOON_DAYS)).order_by("due_on", "pk")
    )
    return {
        "available": True,
        "statuses": hbar_chart(status_rows),
        "days_left": hbar_chart([(label, counts[f"b{i}"]) for i, (label, _) in enumerate(buckets)]),
        "urgent": [
            {"request": r, "days_left": r.days_left(today), "url": _change_url(r)} for r in urgent
        ],
        "due_soon_days": DUE_SOON_DAYS,
    }


def _change_url(obj) -> str | None:
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


# Retention ---------------------------------------------------------------------------------


def _next_crontab_run(schedule, now):
    """The next time beat fires `schedule` after `now`, on whole seconds.

    remaining_estimate() measures from celery's own clock, read a moment after `now`, so the
    sum falls a hair before the due minute and would be shown as the minute before. Pinning the
    schedule's clock to `now` makes the arithmetic exact.
    """
    pinned = copy.copy(schedule)
    pinned.nowfun = lambda: now
    return now + pinned.remaining_estimate(now)


def build_retention() -> dict:
    from jobtrax import datamap

    Run = _model("logs_retention.RetentionRun")
    if Run is None:
        return {"available": False}
    now = timezone.now()
    since = now - timedelta(days=30)
    rows = []
    for policy in datamap.policies():
        runs = Run.objects.filter(policy=policy.name)
        last = runs.order_by("-started_at").first()
        rows.append(
            {
                "policy": policy,
                "last": last,
                "changed": (last.rows_deleted + last.rows_anonymised) if last else None,
                "failures": runs.filter(outcome="failed", started_at__gte=since).count(),
                "next_at": _next_crontab_run(policy.schedule, now),
            }
        )
    return {
        "available": True,
        "policies": rows,
        "chart": hbar_chart(
            [(r["policy"].name, r["changed"]) for r in rows], none_label="never run"
        ),
        "failures": list(Run.objects.filter(outcome="failed", started_at__gte=since)[:20]),
    }


# Consent -----------------------------------------------------------------------------------


def build_consent(weeks: int = 12) -> dict:
    Record = _model("consent.ConsentRecord")
    if Record is None:
        return {"available": False}
    start = timezone.now() - timedelta(weeks=weeks)
    rows = (
        Record.objects.filter(created_at__gte=start)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(
            total=Count("id"),
            analytics=Count("id", filter=Q(analytics=True)),
            marketing=Count("id", filter=Q(marketing=True)),
        )
        .order_by("week")
    )
    series = []
    for row in rows:
        total = row["total"]
        series.append(
            {
                "week": row["week"],
                "total": total,
                "analytics_rate": round(100 * row["analytics"] / total),
                "marketing_rate": round(100 * row["marketing"] / total),
            }
        )
        series[-1]["analytics_refused"] = 100 - series[-1]["analytics_rate"]
        series[-1]["marketing_refused"] = 100 - series[-1]["marketing_rate"]
    return {"available": True, "weeks": series, "chart": rate_chart(series)}


def rate_chart(series: list[dict]) -> dict:
    """Two bars per week, analytics and marketing: the granted share filled, the refused rest
    drawn as a pale track, so a week where everyone refused still shows, with its figure."""
    top, plot_height, left, slot, bar_width = 20, 200, 44, 68, 24
    groups = []
    for i, point in enumerate(series):
        x = left + 12 + i * slot
        bars = []
        for j, key in enumerate(("analytics_rate", "marketing_rate")):
            granted = round(plot_height * point[key] / 100)
            bar_x = x + j * (bar_width + 4)
            bars.append(
                {
                    "kind": key.split("_")[0],
                    "x": bar_x,
                    "width": bar_width,
                    "track_y": top,
                    "refused_height": plot_height - granted,
                    "y": top + plot_height - granted,
                    "height": granted,
                    "value": point[key],
                    "value_x": bar_x + bar_width // 2,
                    "value_y": top + plot_height - granted - 4,
                }
            )
        groups.append({"x": x, "label": f"{point['week']:%d %b}", "bars": bars})
    return {
        "width": max(left + 12 + len(series) * slot + 20, 320),
        "height": top + plot_height + 28,
        "top": top,
        "plot_height": plot_height,
        "label_y": top + plot_height + 18,
        "left": left,
        "groups": groups,
        "ticks": [
            {"value": v, "y": top + plot_height - plot_height * v // 100} for v in (0, 50, 100)
        ],
    }


# Workers and logs --------------------------------------------------------------------------

HEARTBEAT_STALE_AFTER = timedelta(minutes=5)
# Beat sends the heartbeat task and the worker runs it: each leaves its own heartbeat.
EXPECTED_HEARTBEATS = ("celery-beat", "celery-worker")


def build_health() -> dict:
    from jobtrax.models import Heartbeat

    now = timezone.now()
    found = {beat.name: beat for beat in Heartbeat.objects.all()}
    beats = [
        {
            "name": name,
            "beat": beat,
            "age_minutes": int((now - beat.beat_at).total_seconds() // 60) if beat else None,
            "stale": beat is None or now - beat.beat_at > HEARTBEAT_STALE_AFTER,
        }
        for name in sorted({*EXPECTED_HEARTBEATS, *found})
        for beat in [found.get(name)]
    ]
    Counter = _model("logs_retention.LogCounter")
    counters = list(Counter.objects.all()) if Counter is not None else None
    return {
        "beats": beats,
        "stale_after_minutes": int(HEARTBEAT_STALE_AFTER.total_seconds() // 60),
        "counters": counters,
        "chart": hbar_chart([(c.name, c.value) for c in counters or []]),
    }


DASHBOARDS: list[Dashboard] = [
    Dashboard("locations", "Where users are", "accounts.view_user", build_locations),
    Dashboard(
        "requests", "Data-subject requests", "rights.view_datasubjectrequest", build_requests
    ),
    Dashboard("retention", "Retention", "logs_retention.view_retentionrun", build_retention),
    Dashboard("consent", "Consent over time", "consent.view_consentrecord", build_consent),
    Dashboard("health", "Workers and logs", "jobtrax.view_heartbeat", build_health),
]


def dashboards_for(user) -> list[Dashboard]:
    return [d for d in DASHBOARDS if user.has_perm(d.permission)]


def dashboard_view(request: HttpRequest, slug: str) -> HttpResponse:
    from django.contrib import admin

    dashboard = next((d for d in DASHBOARDS if d.slug == slug), None)
    if dashboard is None:
        raise Http404("No such dashboard")
    if not request.user.has_perm(dashboard.permission):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": dashboard.title,
        "dashboard": dashboard,
        "dashboards": dashboards_for(request.user),
        **dashboard.build(),
    }
    return TemplateResponse(request, f"admin/dashboards/{slug}.html", context)
