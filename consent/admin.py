from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from consent import marketing
from consent.models import CampaignDelivery, ConsentRecord, MarketingCampaign


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """Proof of consent: support can read a user's history; no one can change or delete it here."""

    list_display = (
        "created_at",
        "user",
        "method",
        "analytics",
        "marketing",
        "gpc",
        "config_version",
        "notice_version",
        "browser_family",
    )
    list_filter = ("method", "analytics", "marketing", "gpc", "config_version")
    list_select_related = ("user",)
    search_fields = ("user__email", "=browser_id")
    date_hierarchy = "created_at"
    raw_id_fields = ("user",)
    actions = None
    readonly_fields = [field.name for field in ConsentRecord._meta.fields]
    change_list_template = "admin/consent/consentrecord/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # only the retention jobs delete consent records

    def get_urls(self):
        summary = self.admin_site.admin_view(self.summary_view)
        return [
            path("summary/", summary, name="consent_consentrecord_summary"),
            *super().get_urls(),
        ]

    def summary_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Consent over time",
            "opts": self.model._meta,
            "rows": consent_summary(),
        }
        return TemplateResponse(request, "admin/consent/summary.html", context)


def consent_summary() -> list[dict]:
    """How many visitors and users granted or refused each category, per month. Counts only."""
    visitors, users = Q(user__isnull=True), Q(user__isnull=False)

    def visitors_where(condition: Q) -> Count:
        return Count("browser_id", distinct=True, filter=visitors & condition)

    def users_where(condition: Q) -> Count:
        return Count("user", distinct=True, filter=users & condition)

    counted = (
        ConsentRecord.objects.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            visitor_analytics_granted=visitors_where(Q(analytics=True)),
            visitor_analytics_refused=visitors_where(Q(analytics=False)),
            user_analytics_granted=users_where(Q(analytics=True)),
            user_analytics_refused=users_where(Q(analytics=False)),
            user_marketing_granted=users_where(Q(marketing=True)),
            user_marketing_refused=users_where(Q(marketing=False)),
            gpc=Count("id", filter=Q(method="gpc")),
        )
        .order_by("-month")
    )
    return list(counted)


@admin.register(MarketingCampaign)
class MarketingCampaignAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at", "queued_at", "finished_at", "sent_count")
    search_fields = ("subject",)
    readonly_fields = ("created_by", "created_at", "queued_at", "finished_at", "sent_count")
    list_select_related = ("created_by",)
    actions = ["send_to_consenting_users"]

    def save_model(self, request: HttpRequest, obj: MarketingCampaign, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Send to every user with marketing consent", permissions=["change"])
    def send_to_consenting_users(self, request: HttpRequest, queryset) -> None:
        for campaign in queryset:
            if campaign.queued_at is not None:
                self.message_user(
                    request, f"“{campaign}” was already sent.", level=messages.WARNING
                )
                continue
            marketing.campaign_start(campaign_id=campaign.pk)
            self.message_user(request, f"“{campaign}” is being sent in batches.")


@admin.register(CampaignDelivery)
class CampaignDeliveryAdmin(admin.ModelAdmin):
    list_display = ("campaign", "user", "sent_at")
    list_select_related = ("campaign", "user")
    raw_id_fields = ("campaign", "user")
    search_fields = ("user__email",)
    readonly_fields = ("campaign", "user", "sent_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
