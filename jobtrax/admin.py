from django.contrib import admin
from django.http import HttpRequest

from jobtrax.models import Heartbeat


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the app writes and staff only read: logs, audit trails, proofs, heartbeats."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("name", "beat_at", "hostname")
    readonly_fields = ("name", "beat_at", "hostname")
