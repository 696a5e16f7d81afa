from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from jobtrax import datamap
from jobtrax.admin import ReadOnlyAdmin
from logs_retention.models import (
    InactivityWarning,
    LogCounter,
    RequestLog,
    RetentionLease,
    RetentionRun,
    SecurityEvent,
)


@admin.register(RequestLog)
class RequestLogAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "method",
        "route",
        "status",
        "duration_ms",
        "user_id",
        "ip_network",
        "browser_family",
        "os_family",
        "device_type",
        "anonymised",
    )
    list_filter = ("status", "method", "device_type", "anonymised")
    search_fields = ("route",)
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "user_id", "country", "detail")
    list_filter = ("kind",)
    search_fields = ("detail",)
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"


@admin.register(LogCounter)
class LogCounterAdmin(ReadOnlyAdmin):
    list_display = ("name", "value", "updated_at")


@admin.register(RetentionLease)
class RetentionLeaseAdmin(ReadOnlyAdmin):
    list_display = ("policy", "holder", "expires_at")


@admin.register(InactivityWarning)
class InactivityWarningAdmin(ReadOnlyAdmin):
    list_display = ("user_id", "sent_at")
    raw_id_fields = ("user",)


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = (
        "policy",
        "started_at",
        "finished_at",
        "outcome",
        "cutoff",
        "batches",
        "rows_anonymised",
        "rows_deleted",
        "note",
    )
    list_filter = ("outcome", "policy")
    date_hierarchy = "started_at"
    change_list_template = "admin/logs_retention/retentionrun/change_list.html"

    def get_urls(self):
        return [
            path(
                "start/<str:policy_name>/",
                self.admin_site.admin_view(self.start_view),
                name="logs_retention_retentionrun_start",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = dict(extra_context or {})
        if request.user.has_perm("logs_retention.run_retention"):
            extra_context["retention_policies"] = [
                (policy, reverse("admin:logs_retention_retentionrun_start", args=[policy.name]))
                for policy in datamap.policies()
            ]
        return super().changelist_view(request, extra_context=extra_context)

    def start_view(self, request: HttpRequest, policy_name: str):
        from logs_retention.tasks import retention_run_policy

        changelist = reverse("admin:logs_retention_retentionrun_changelist")
        if not request.user.has_perm("logs_retention.run_retention"):
            raise PermissionDenied("You may not start retention runs.")
        if request.method != "POST":
            return HttpResponseRedirect(changelist)
        if policy_name not in {policy.name for policy in datamap.policies()}:
            messages.error(request, format_html("No retention policy is called {}.", policy_name))
            return HttpResponseRedirect(changelist)
        retention_run_policy.delay(policy_name)
        messages.success(request, format_html("Retention run of {} queued.", policy_name))
        return HttpResponseRedirect(changelist)
