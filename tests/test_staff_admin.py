"""Admin hygiene: an explicit ModelAdmin for every model, masked lists, audited detail pages,
no password hash, truncated IPs, and a change history without personal data."""

import json
from http import HTTPStatus
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.admin_site import PrivateLogMixin, TruncatedIPMixin, mask_email
from accounts.roles import SUPPORT, roles_sync
from logs_retention.models import SecurityEvent
from tests.conftest import make_user, staff_login


def our_models():
    """Models of every app that lives in this project (not in a dependency)."""
    root = Path(settings.BASE_DIR).resolve()
    return [
        model
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
        and ".venv" not in Path(config.path).parts
        for model in config.get_models()
    ]


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_it_has_an_explicit_model_admin_for_every_model(model):
    assert model in admin.site._registry, f"{model._meta.label} has no ModelAdmin"
    model_admin = admin.site._registry[model]
    # The site wraps every admin class in its mixins; the explicit one comes right after them.
    explicit = next(
        c for c in type(model_admin).__mro__[1:] if c not in (PrivateLogMixin, TruncatedIPMixin)
    )
    assert explicit is not admin.ModelAdmin, f"{model._meta.label} uses the default ModelAdmin"


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("jane@example.com", "j***@example.com"),
        ("j@example.com", "j***@example.com"),
        ("no-at-sign", "***"),
        ("", ""),
    ],
)
def test_it_masks_email_addresses(email, masked):
    assert mask_email(email) == masked


@pytest.fixture
def support_client(client, db):
    roles_sync()
    member = make_user("support-staff@example.com", is_staff=True)
    member.groups.add(Group.objects.get(name=SUPPORT))
    staff_login(client, member)
    return client


def test_it_masks_emails_in_the_user_list(support_client, user):
    response = support_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == HTTPStatus.OK
    assert b"a***@example.com" in response.content
    assert b"alice@example.com" not in response.content


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("alice@example.com", True),
        ("ALICE@example.com", True),
        ("alice", False),
        ("example.com", False),
    ],
)
def test_it_finds_users_by_their_full_email_only(support_client, user, query, found):
    response = support_client.get(reverse("admin:accounts_user_changelist"), {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert (user in response.context["cl"].result_list) is found


def test_it_shows_the_full_email_on_the_detail_page_and_audits_the_view(support_client, user):
    before = SecurityEvent.objects.filter(kind="staff_action").count()

    response = support_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert response.status_code == HTTPStatus.OK
    assert b"alice@example.com" in response.content
    events = SecurityEvent.objects.filter(kind="staff_action")
    assert events.count() == before + 1
    assert "alice" not in events.first().detail
    AuditRecord = apps.get_model("rights", "AuditRecord")
    record = AuditRecord.objects.get(action="viewed_data", target_user_id=user.pk)
    assert "alice" not in record.note


def test_it_does_not_audit_a_list_page(support_client, user):
    support_client.get(reverse("admin:accounts_user_changelist"))
    assert not SecurityEvent.objects.filter(kind="staff_action").exists()


def test_it_never_shows_the_password_hash_even_to_a_superuser(client, superuser, user):
    staff_login(client, superuser)
    response = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert user.password not in body
    assert "argon2" not in body
    assert 'name="password"' not in body


def test_it_shows_the_consent_history_read_only_on_the_user_page(support_client, user):
    ConsentRecord = apps.get_model("consent", "ConsentRecord")
    ConsentRecord.objects.create(
        user=user, analytics=True, marketing=False, method="custom", config_version="1"
    )
    response = support_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    (inline,) = response.context["inline_admin_formsets"]
    assert len(inline.formset.queryset) == 1
    assert not inline.has_change_permission
    assert not inline.has_delete_permission


def test_it_never_shows_a_totp_secret_in_the_admin(client, superuser):
    from allauth.mfa.models import Authenticator

    staff_login(client, superuser)
    authenticator = Authenticator.objects.get(user=superuser, type="totp")
    url = reverse("admin:mfa_authenticator_change", args=[authenticator.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert authenticator.data["secret"] not in response.content.decode()


@pytest.mark.parametrize(
    ("ip", "shown"),
    [
        ("81.2.69.142", "81.2.69.0"),
        ("2001:218:1:2::1", "2001:218:1::"),
        ("::ffff:81.2.69.142", "81.2.69.0"),
        (None, ""),
    ],
)
def test_it_truncates_each_kind_of_ip_for_staff(ip, shown):
    model_admin = admin.site._registry[SecurityEvent]
    assert model_admin.masked_ip(SecurityEvent(ip=ip)) == shown


def test_it_writes_field_names_and_ids_only_to_the_change_history(client, superuser, user):
    staff_login(client, superuser)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields}
    data.update({"is_active": "", "groups": []})
    data.update(
        {
            "consent_records-TOTAL_FORMS": "0",
            "consent_records-INITIAL_FORMS": "0",
            "consent_records-MIN_NUM_FORMS": "0",
            "consent_records-MAX_NUM_FORMS": "0",
        }
    )

    response = client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND, response.context and response.context.get(
        "errors"
    )
    user.refresh_from_db()
    assert user.is_active is False
    entry = LogEntry.objects.get(object_id=str(user.pk), content_type__model="user")
    assert entry.object_repr == f"user #{user.pk}"
    assert json.loads(entry.change_message) == [{"changed": {"fields": ["is_active"]}}]
    assert "alice" not in entry.object_repr + entry.change_message


def test_it_keeps_personal_data_out_of_the_history_of_any_admin(client, superuser):
    """Third-party admins (here auth's Group) go through the same change history."""
    staff_login(client, superuser)
    response = client.post(reverse("admin:auth_group_add"), {"name": "carol@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    group = Group.objects.get(name="carol@example.com")
    entry = LogEntry.objects.get(object_id=str(group.pk), content_type__model="group")
    assert entry.object_repr == f"group #{group.pk}"
    assert "carol" not in entry.change_message

    client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    deletion = LogEntry.objects.filter(object_id=str(group.pk)).order_by("-pk").first()
    assert deletion.is_deletion()
    assert "carol" not in deletion.object_repr


@pytest.mark.parametrize(
    "message",
    ["Verified dave@example.com", "Seen from 81.2.69.142", "Seen from 2001:218:1:2::1"],
)
def test_it_scrubs_free_text_history_messages(rf, superuser, user, message):
    request = rf.post("/")
    request.user = superuser
    model_admin = admin.site._registry[type(user)]
    entry = model_admin.log_change(request, user, message)
    assert "dave@" not in entry.change_message
    assert "69.142" not in entry.change_message
    assert "2001:218" not in entry.change_message


@pytest.fixture
def log_reader(client, db):
    """A staff member allowed to read the request and security logs, who is not a superuser."""
    from django.contrib.auth.models import Permission

    reader = make_user("reader-staff@example.com", is_staff=True)
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_requestlog", "view_securityevent"])
    )
    staff_login(client, reader)
    return client


def _security_event(user):
    return SecurityEvent.objects.create(
        created_at=timezone.now(), kind="login_failed", user=user, ip="81.2.69.142"
    )


def test_it_shows_staff_a_truncated_ip_on_lists_and_details(log_reader, user):
    event = _security_event(user)
    listing = log_reader.get(reverse("admin:logs_retention_securityevent_changelist"))
    detail = log_reader.get(reverse("admin:logs_retention_securityevent_change", args=[event.pk]))
    for response in (listing, detail):
        assert response.status_code == HTTPStatus.OK
        assert b"81.2.69.142" not in response.content
    assert b"81.2.69.0" in detail.content


def test_it_does_not_let_staff_search_by_ip(rf, staff_user, superuser):
    from accounts.admin_site import StaffAdminSite

    site = StaffAdminSite(name="probe")
    site.register(
        SecurityEvent, type("A", (admin.ModelAdmin,), {"search_fields": ("=ip", "detail")})
    )
    model_admin = site._registry[SecurityEvent]
    request = rf.get("/")
    request.user = staff_user
    assert model_admin.get_search_fields(request) == ["detail"]
    request.user = superuser
    assert list(model_admin.get_search_fields(request)) == ["=ip", "detail"]


def test_it_shows_a_superuser_the_full_ip(client, superuser, user):
    event = _security_event(user)
    staff_login(client, superuser)
    detail = client.get(reverse("admin:logs_retention_securityevent_change", args=[event.pk]))
    assert b"81.2.69.142" in detail.content


def test_it_truncates_ips_in_the_request_log_too(log_reader):
    from logs_retention.models import RequestLog

    row = RequestLog.objects.create(
        created_at=timezone.now(),
        method="GET",
        status=200,
        duration_ms=3,
        ip="2001:218:1:2::1",
        ip_network="2001:218:1::",
    )
    detail = log_reader.get(reverse("admin:logs_retention_requestlog_change", args=[row.pk]))
    assert detail.status_code == HTTPStatus.OK
    assert b"2001:218:1:2::1" not in detail.content
    assert b"2001:218:1::" in detail.content


def test_it_masks_emails_in_every_list_even_for_a_superuser(client, superuser, user):
    """allauth's own EmailAddress list goes through the same masking."""
    staff_login(client, superuser)
    response = client.get(reverse("admin:account_emailaddress_changelist"))
    assert response.status_code == HTTPStatus.OK
    assert b"a***@example.com" in response.content
    assert b"alice@example.com" not in response.content


def test_it_describes_inline_changes_by_id_and_field_name(db):
    from types import SimpleNamespace

    from accounts.admin_site import _fields_only

    added = Group.objects.create(name="erin@example.com")
    changed = Group.objects.create(name="frank@example.com")
    formset = SimpleNamespace(
        new_objects=[added], changed_objects=[(changed, ["name"])], deleted_objects=[changed]
    )
    message = _fields_only(SimpleNamespace(changed_data=["is_active"]), [formset], add=False)

    entry = LogEntry(change_message=json.dumps(message))
    text = entry.get_change_message()
    assert "erin" not in json.dumps(message) + text
    assert "frank" not in json.dumps(message) + text
    assert f"#{added.pk}" in text and "is_active" in text


def test_it_names_plural_models_in_proper_english(client, superuser):
    staff_login(client, superuser)

    body = client.get(reverse("admin:index")).content.decode()

    assert "Known countries" in body and "Campaign deliveries" in body
    assert "countrys" not in body and "deliverys" not in body


def test_it_offers_only_the_countries_in_use_as_a_filter(support_client, db):
    make_user("gb@example.com", country="GB")
    make_user("se@example.com", country="SE")
    make_user("nowhere@example.com")

    response = support_client.get(reverse("admin:accounts_user_changelist"))

    specs = response.context["cl"].filter_specs
    [spec] = [s for s in specs if getattr(s, "parameter_name", "") == "country"]
    assert [title for _, title in spec.lookup_choices] == ["Sweden", "United Kingdom"]
    assert "Zimbabwe" not in response.content.decode()
    filtered = support_client.get(reverse("admin:accounts_user_changelist"), {"country": "SE"})
    assert [u.email for u in filtered.context["cl"].result_list] == ["se@example.com"]


def test_it_words_the_location_source_for_staff(support_client, db):
    chosen = make_user("chooser@example.com", country="GB", location_source="chosen")

    page = support_client.get(reverse("admin:accounts_user_change", args=[chosen.pk]))
    listing = support_client.get(reverse("admin:accounts_user_changelist"))

    assert "Chosen by the user" in page.content.decode()
    for response in (page, listing):
        assert "Chosen by you" not in response.content.decode()


def test_it_shows_a_pending_deletion_and_the_requests_on_the_user_page(support_client, user):
    from rights import services

    services.deletion_start(user=user)
    dsr = user.rights_requests.get()

    response = support_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    body = response.content.decode()
    assert "will be erased on or after" in body
    dsr_url = reverse("admin:rights_datasubjectrequest_change", args=[dsr.pk])
    assert body.count(f'<a href="{dsr_url}">') == 2  # under pending deletion and under requests
    assert f'<a href="{dsr_url}">#{dsr.pk}</a> Deletion, in progress' in body


def test_it_says_none_when_no_deletion_is_pending(support_client, user):
    response = support_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    body = response.content.decode()
    assert "Pending deletion" in body
    assert "will be erased on or after" not in body


# Odd list filters: every changelist answers them with a 400 or a list, never a 500 ----------


def _date_fields(model) -> list[str]:
    from django.db import models as db_models

    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, db_models.DateField) and f.concrete
    ]


def bad_filters(model_admin) -> list[dict]:
    """Out-of-range date parts on every date field, and garbage in the date hierarchy."""
    names = set(_date_fields(model_admin.model))
    if model_admin.date_hierarchy:
        names.add(model_admin.date_hierarchy)
    found = []
    for name in sorted(names):
        found += [
            {f"{name}__year": "-1"},
            {f"{name}__year": "0"},
            {f"{name}__year": "99999"},
            {f"{name}__year": "2024", f"{name}__month": "13"},
            {f"{name}__year": "2024", f"{name}__month": "0"},
            {f"{name}__year": "2024", f"{name}__month": "2", f"{name}__day": "0"},
            {f"{name}__year": "2024", f"{name}__month": "2", f"{name}__day": "31"},
            {f"{name}__year": "abc"},
            {f"{name}__month": "-5"},
            {f"{name}__day": "99"},
            {f"{name}__gte": "2024-13-45"},
            {f"{name}__lt": "not a date"},
            {f"{name}__isnull": "maybe"},
        ]
    return found + [{"o": "999"}, {"p": "-1"}, {"nosuchfield__exact": "1"}, {"q": "\x00"}]


def test_every_changelist_answers_bad_date_filters_without_a_500(client, superuser):
    staff_login(client, superuser)
    client.raise_request_exception = False
    failures = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for params in bad_filters(model_admin):
            response = client.get(url, params)
            if response.status_code >= 500:
                failures.append((url, params))
            else:
                assert response.status_code in (200, 302, 400), (url, params)

    assert not failures, failures


def test_a_date_hierarchy_filter_out_of_range_is_a_clear_400(client, superuser):
    staff_login(client, superuser)

    response = client.get(
        reverse("admin:logs_retention_securityevent_changelist"), {"created_at__year": "-1"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
