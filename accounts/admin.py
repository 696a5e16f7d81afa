"""Accounts in the staff console: masked in lists, in full on the (audited) detail page.

The password hash is never shown to anyone: the User admin has no password field at all.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django_countries import countries

from accounts.admin_site import mask_email
from accounts.models import LOCATION_SOURCE_FOR_STAFF, KnownCountry, User
from rights.services import audit_record


def audit_staff_view(request: HttpRequest, *, obj, user_id: int | None) -> None:
    """Record that a staff member opened a record with personal data in full."""
    note = f"admin detail page of {obj._meta.label_lower} #{obj.pk}"
    audit_record(actor=request.user, action="viewed_data", target_user_id=user_id, note=note)


class ConsentHistoryInline(admin.TabularInline):
    """The user's consent decisions, newest first: proof, so nobody edits them here."""

    model = apps.get_model("consent", "ConsentRecord")
    fields = ("created_at", "method", "analytics", "marketing", "gpc", "notice_version")
    readonly_fields = fields
    ordering = ("-created_at",)
    extra = 0
    can_delete = False
    verbose_name_plural = "consent history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CountryInUseFilter(admin.SimpleListFilter):
    """Only the countries some account is in, not all 250."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = User.objects.exclude(country="").values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code) or code) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(country=self.value())


class LocationSourceFilter(admin.SimpleListFilter):
    title = "location source"
    parameter_name = "location_source"

    def lookups(self, request, model_admin):
        return list(LOCATION_SOURCE_FOR_STAFF.items())

    def queryset(self, request, queryset):
        if self.value() in LOCATION_SOURCE_FOR_STAFF:
            return queryset.filter(location_source=self.value())
        return queryset


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Support finds users by exact email and sees state, location and verification, read-only."""

    list_display = (
        "masked_email",
        "is_verified",
        "location",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = (LocationSourceFilter, "is_active", "is_staff", CountryInUseFilter)
    # Exact match only, so a search cannot be used to list addresses by a fragment.
    search_fields = ("=email",)
    search_help_text = "Search by the full email address."
    ordering = ("-date_joined",)
    fields = (
        "email",
        "is_verified",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "date_joined",
        "last_login",
        "adult_confirmed_at",
        "country",
        "region",
        "location_source_for_staff",
        "location_updated_at",
        "processing_restricted_at",
        "processing_objected_at",
        "pending_deletion",
        "requests",
    )
    readonly_fields = (
        "email",
        "is_verified",
        "is_superuser",
        "date_joined",
        "last_login",
        "adult_confirmed_at",
        "country",
        "region",
        "location_source_for_staff",
        "location_updated_at",
        "processing_restricted_at",
        "processing_objected_at",
        "pending_deletion",
        "requests",
    )
    filter_horizontal = ("groups",)
    inlines = [ConsentHistoryInline]

    def get_queryset(self, request):
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        return super().get_queryset(request).annotate(_verified=Exists(verified))

    @admin.display(description="email", ordering="email")
    def masked_email(self, obj: User) -> str:
        return mask_email(obj.email)

    @admin.display(boolean=True, description="verified", ordering="_verified")
    def is_verified(self, obj: User) -> bool:
        return obj._verified

    @admin.display(description="location", ordering="country")
    def location(self, obj: User) -> str:
        if not obj.country:
            return "-"
        where = obj.country.code + (f"-{obj.region}" if obj.region else "")
        return f"{where}, {obj.location_source}"

    @admin.display(description="location source")
    def location_source_for_staff(self, obj: User) -> str:
        return obj.location_source_for_staff

    @admin.display(description="data-subject requests")
    def requests(self, obj: User) -> str:
        Request = apps.get_model("rights", "DataSubjectRequest")
        rows = Request.objects.filter(user=obj).order_by("-received_at")[:20]
        if not rows:
            return "None"
        return format_html_join(
            format_html("<br>"),
            '<a href="{}">#{}</a> {}, {}, received {}, due {}',
            (
                (
                    reverse("admin:rights_datasubjectrequest_change", args=[dsr.pk]),
                    dsr.pk,
                    dsr.get_kind_display(),
                    dsr.get_status_display().lower(),
                    f"{timezone.localtime(dsr.received_at):%Y-%m-%d}",
                    f"{dsr.due_on:%Y-%m-%d}",
                )
                for dsr in rows
            ),
        )

    @admin.display(description="pending deletion")
    def pending_deletion(self, obj: User) -> str:
        Request = apps.get_model("rights", "DataSubjectRequest")
        dsr = (
            Request.objects.filter(
                user=obj,
                kind=Request.Kind.DELETION,
                status=Request.Status.IN_PROGRESS,
                erase_after__isnull=False,
            )
            .order_by("-received_at")
            .first()
        )
        if dsr is None:
            return "None"
        url = reverse("admin:rights_datasubjectrequest_change", args=[dsr.pk])
        erase_on = timezone.localtime(dsr.erase_after)
        return format_html(
            "Asked {}: the account is deactivated and will be erased on or after {} UTC "
            '(<a href="{}">request #{}</a>). Signing in before then cancels it.',
            f"{timezone.localtime(dsr.received_at):%Y-%m-%d}",
            f"{erase_on:%Y-%m-%d %H:%M}",
            url,
            dsr.pk,
        )

    def has_add_permission(self, request) -> bool:
        # Staff accounts come from `manage.py create_staff`, users from signup.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Accounts are erased through a data-subject request, which keeps the receipts.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            audit_staff_view(request, obj=obj, user_id=obj.pk)
        return response


@admin.register(KnownCountry)
class KnownCountryAdmin(admin.ModelAdmin):
    list_display = ("id", "user_id", "country", "first_seen_at")
    list_filter = ("country",)
    raw_id_fields = ("user",)
    readonly_fields = ("user", "country", "first_seen_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# allauth's own admin would show the TOTP secret and the recovery codes; nobody needs them.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AllauthAuthenticatorAdmin):
    list_display = ("id", "user_id", "type", "created_at", "last_used_at")
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = ("user", "type", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """The admin's change history: ids and field names only (see accounts.admin_site)."""

    list_display = ("action_time", "user_id", "content_type", "object_repr", "action_flag")
    list_filter = ("action_flag", "content_type")
    list_select_related = ("content_type",)
    readonly_fields = (
        "action_time",
        "user",
        "content_type",
        "object_id",
        "object_repr",
        "action_flag",
        "change_message",
    )
    date_hierarchy = "action_time"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
