"""Each staff role, signed in with a second factor, through the admin's own URLs.

What a role may open it opens; what it may only read stays read-only against crafted POSTs;
everything else is 403, including direct POSTs to change and delete views.
"""

from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OPS, PRIVACY_OFFICER, ROLES, SUPPORT, roles_sync
from tests.conftest import need


def changelist(label: str) -> str:
    app_label, model = label.split(".")
    model_class = apps.get_model(app_label, model)
    need(model_class in admin.site._registry, f"{label} has no admin yet")
    return reverse(f"admin:{app_label}_{model}_changelist")


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def delete_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


# Which lists each role opens (200) and which it is refused (403).
MATRIX = [
    ("accounts.user", {"support": 200, "privacy": 200, "ops": 403}),
    ("accounts.knowncountry", {"support": 200, "privacy": 200, "ops": 403}),
    ("consent.consentrecord", {"support": 200, "privacy": 200, "ops": 403}),
    ("rights.datasubjectrequest", {"support": 200, "privacy": 200, "ops": 403}),
    ("rights.auditrecord", {"support": 403, "privacy": 200, "ops": 403}),
    ("support.supportmessage", {"support": 200, "privacy": 200, "ops": 403}),
    ("rights.legalhold", {"support": 403, "privacy": 200, "ops": 403}),
    ("privacy.noticeversion", {"support": 403, "privacy": 200, "ops": 403}),
    ("logs_retention.retentionrun", {"support": 403, "privacy": 403, "ops": 200}),
    ("logs_retention.logcounter", {"support": 403, "privacy": 403, "ops": 200}),
    ("jobtrax.heartbeat", {"support": 403, "privacy": 403, "ops": 200}),
    ("logs_retention.securityevent", {"support": 403, "privacy": 403, "ops": 403}),
    ("logs_retention.requestlog", {"support": 403, "privacy": 403, "ops": 403}),
    ("admin.logentry", {"support": 403, "privacy": 403, "ops": 403}),
    ("mfa.authenticator", {"support": 403, "privacy": 403, "ops": 403}),
    ("auth.group", {"support": 403, "privacy": 403, "ops": 403}),
]


@pytest.mark.parametrize("role", ["support", "privacy", "ops"])
@pytest.mark.parametrize(("label", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_it_opens_only_the_lists_of_the_role(as_role, client, role, label, expected):
    as_role(role)
    response = client.get(changelist(label))
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ["support", "privacy", "ops"])
def test_it_shows_a_role_only_its_own_apps_on_the_index(as_role, client, role):
    as_role(role)
    response = client.get(reverse("admin:index"))
    assert response.status_code == HTTPStatus.OK
    models = {
        f"{app['app_label']}.{m['object_name'].lower()}"
        for app in response.context["app_list"]
        for m in app["models"]
    }
    if role == "ops":
        assert "jobtrax.heartbeat" in models
        assert "accounts.user" not in models
    else:
        assert "accounts.user" in models
        assert "jobtrax.heartbeat" not in models
        assert "logs_retention.retentionrun" not in models


@pytest.mark.parametrize("role", ["support", "privacy"])
def test_it_keeps_the_user_page_read_only_against_a_crafted_post(as_role, client, role, user):
    as_role(role)
    url = change_url(user)
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert b'name="_save"' not in page.content

    response = client.post(
        url, {"email": "mallory@example.com", "is_active": "", "is_staff": "on", "groups": []}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    user.refresh_from_db()
    assert (user.email, user.is_active, user.is_staff) == ("alice@example.com", True, False)


@pytest.mark.parametrize("role", ["support", "privacy", "ops"])
def test_it_refuses_every_role_the_delete_view_of_a_user(as_role, client, role, user):
    as_role(role)
    response = client.post(delete_url(user), {"post": "yes"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert type(user).objects.filter(pk=user.pk).exists()


def test_it_refuses_ops_a_crafted_post_to_a_user(as_role, client, user):
    as_role("ops")
    response = client.post(change_url(user), {"email": "mallory@example.com"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    user.refresh_from_db()
    assert user.email == "alice@example.com"


@pytest.mark.parametrize("role", ["support", "privacy", "ops"])
def test_it_refuses_every_role_changes_to_the_role_groups(as_role, client, role):
    as_role(role)
    group = Group.objects.get(name=SUPPORT)
    response = client.post(change_url(group), {"name": "Support", "permissions": []})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert group.permissions.count() > 0


@pytest.mark.parametrize("role", ["support", "privacy"])
def test_it_refuses_support_roles_the_heartbeat_of_the_workers(as_role, client, role):
    from jobtrax.models import Heartbeat

    beat = Heartbeat.objects.create(name="celery-worker", beat_at=timezone.now())
    as_role(role)
    assert client.get(change_url(beat)).status_code == HTTPStatus.FORBIDDEN
    assert client.post(delete_url(beat), {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert Heartbeat.objects.filter(pk=beat.pk).exists()


def test_it_lets_ops_see_the_workers_but_not_change_them(as_role, client):
    from jobtrax.models import Heartbeat

    beat = Heartbeat.objects.create(name="celery-worker", beat_at=timezone.now())
    as_role("ops")
    assert client.get(change_url(beat)).status_code == HTTPStatus.OK
    response = client.post(change_url(beat), {"name": "x", "beat_at": "2020-01-01 00:00"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    beat.refresh_from_db()
    assert beat.name == "celery-worker"


@pytest.mark.parametrize("role", ["support", "privacy"])
def test_it_keeps_consent_history_read_only(as_role, client, role, user):
    ConsentRecord = apps.get_model("consent", "ConsentRecord")
    changelist("consent.consentrecord")
    record = ConsentRecord.objects.create(
        user=user, analytics=True, marketing=False, method="custom", config_version="1"
    )
    as_role(role)
    assert client.get(change_url(record)).status_code == HTTPStatus.OK
    response = client.post(
        change_url(record), {"analytics": "", "marketing": "on", "method": "custom"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert client.post(delete_url(record), {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    record.refresh_from_db()
    assert (record.analytics, record.marketing) == (True, False)


@pytest.mark.parametrize("role", ["support", "ops"])
def test_it_refuses_the_audit_trail_to_all_but_the_privacy_officer(as_role, client, role):
    AuditRecord = apps.get_model("rights", "AuditRecord")
    changelist("rights.auditrecord")
    record = AuditRecord.objects.create(action="viewed_data", note="")
    as_role(role)
    assert client.get(change_url(record)).status_code == HTTPStatus.FORBIDDEN
    assert client.post(delete_url(record), {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert AuditRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("role", ["support", "privacy", "ops"])
def test_it_never_lets_a_role_change_or_delete_an_audit_record(as_role, client, role):
    AuditRecord = apps.get_model("rights", "AuditRecord")
    changelist("rights.auditrecord")
    record = AuditRecord.objects.create(action="viewed_data", note="kept")
    as_role(role)
    assert client.post(change_url(record), {"note": "gone"}).status_code == HTTPStatus.FORBIDDEN
    assert client.post(delete_url(record), {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    record.refresh_from_db()
    assert record.note == "kept"


@pytest.mark.parametrize("role", ["support", "privacy"])
def test_it_refuses_support_roles_a_retention_run(as_role, client, role):
    changelist("logs_retention.retentionrun")
    RetentionRun = apps.get_model("logs_retention", "RetentionRun")
    run = RetentionRun.objects.create(policy="security_events", started_at=timezone.now())
    as_role(role)
    assert client.get(change_url(run)).status_code == HTTPStatus.FORBIDDEN
    assert client.post(delete_url(run), {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN


def test_it_gives_the_privacy_officer_everything_support_has():
    assert set(ROLES[SUPPORT]) < set(ROLES[PRIVACY_OFFICER])


def test_it_gives_ops_no_permission_on_personal_data():
    personal = {
        "accounts", "consent", "rights", "privacy", "account", "mfa", "usersessions", "support"
    }  # fmt: skip
    assert not {p.split(".")[0] for p in ROLES[OPS]} & personal
    assert "logs_retention.view_requestlog" not in ROLES[OPS]
    assert "logs_retention.view_securityevent" not in ROLES[OPS]


def test_it_attaches_every_permission_named_by_a_role(db):
    """Once every app is migrated, no role names a permission that does not exist."""
    assert roles_sync() == []
    for name, permissions in ROLES.items():
        group = Group.objects.get(name=name)
        attached = {
            f"{app}.{code}"
            for app, code in group.permissions.values_list("content_type__app_label", "codename")
        }
        assert attached == set(permissions)


def test_it_resyncs_a_group_whose_permissions_were_tampered_with(db):
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=OPS)
    group.permissions.add(Permission.objects.get(codename="view_user"))
    roles_sync()
    assert not group.permissions.filter(codename="view_user").exists()


@pytest.mark.parametrize("role", ["support", "privacy"])
def test_it_refuses_support_roles_a_direct_post_that_starts_a_retention_run(as_role, client, role):
    RetentionRun = apps.get_model("logs_retention", "RetentionRun")
    as_role(role)
    url = reverse("admin:logs_retention_retentionrun_start", args=["security_events"])
    response = client.post(url)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not RetentionRun.objects.exists()


def test_it_lets_ops_start_a_retention_run(as_role, client):
    RetentionRun = apps.get_model("logs_retention", "RetentionRun")
    as_role("ops")
    url = reverse("admin:logs_retention_retentionrun_start", args=["security_events"])
    response = client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    assert RetentionRun.objects.filter(policy="security_events").exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("support", HTTPStatus.FORBIDDEN), ("ops", HTTPStatus.FORBIDDEN), ("privacy", HTTPStatus.OK)],
)
def test_it_lets_only_the_privacy_officer_open_the_publish_page(as_role, client, role, expected):
    NoticeVersion = apps.get_model("privacy", "NoticeVersion")
    version = NoticeVersion.objects.order_by("pk").first()
    assert version is not None  # the first notice comes from a data migration
    as_role(role)
    response = client.get(reverse("admin:privacy_notice_publish", args=[version.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize("role", ["support", "ops"])
def test_it_refuses_a_direct_post_that_publishes_the_notice(as_role, client, role):
    NoticeVersion = apps.get_model("privacy", "NoticeVersion")
    version = NoticeVersion.objects.order_by("pk").first()
    statuses = dict(NoticeVersion.objects.values_list("pk", "status"))
    as_role(role)
    response = client.post(reverse("admin:privacy_notice_publish", args=[version.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert dict(NoticeVersion.objects.values_list("pk", "status")) == statuses


@pytest.mark.parametrize(
    ("role", "action"),
    [
        ("support", "extend"),
        ("support", "place_hold"),
        ("ops", "lift_restriction"),
        ("ops", "restrict"),
        ("ops", "record_objection"),
        ("ops", "correct_email"),
        ("ops", "run_export"),
        ("ops", "run_erasure"),
        ("ops", "mark_minor"),
        ("ops", "complete"),
    ],
)
def test_it_refuses_request_actions_of_another_role(as_role, client, user, role, action):
    Request = apps.get_model("rights", "DataSubjectRequest")
    dsr = Request(kind="deletion", channel="email", user=user, due_on=timezone.localdate())
    dsr.save()
    as_role(role)
    url = reverse("admin:rights_datasubjectrequest_act", args=[dsr.pk])
    response = client.post(url, {"action": action, "reason": "because", "code": ""})
    assert response.status_code == HTTPStatus.FORBIDDEN
    dsr.refresh_from_db()
    assert (dsr.status, dsr.extension, dsr.reported_minor) == ("received", 0, False)
    assert not user.legal_holds.exists()


@pytest.mark.parametrize(
    ("role", "permission", "granted"),
    [
        ("support", "rights.verify_request", True),
        ("support", "rights.run_export", True),
        ("support", "rights.run_erasure", True),
        ("support", "rights.mark_minor", True),
        ("support", "rights.extend_deadline", False),
        ("support", "rights.restrict_processing", True),
        ("support", "rights.lift_restriction", True),
        ("support", "rights.record_objection", True),
        ("support", "rights.correct_email", True),
        ("ops", "rights.correct_email", False),
        ("support", "support.reply_supportmessage", True),
        ("support", "support.handle_privacy_message", False),
        ("privacy", "support.handle_privacy_message", True),
        ("ops", "support.view_supportmessage", False),
        ("support", "privacy.publish_noticeversion", False),
        ("support", "consent.change_consentrecord", False),
        ("support", "logs_retention.run_retention", False),
        ("privacy", "rights.place_legal_hold", True),
        ("privacy", "rights.lift_restriction", True),
        ("privacy", "rights.extend_deadline", True),
        ("privacy", "rights.view_auditrecord", True),
        ("privacy", "privacy.publish_noticeversion", True),
        ("privacy", "rights.change_auditrecord", False),
        ("ops", "logs_retention.run_retention", True),
        ("ops", "accounts.view_user", False),
        ("ops", "rights.view_datasubjectrequest", False),
    ],
)
def test_it_grants_each_role_its_contract_permissions(as_role, role, permission, granted):
    member = as_role(role)
    member = type(member).objects.get(pk=member.pk)  # a fresh permission cache
    assert member.has_perm(permission) is granted
