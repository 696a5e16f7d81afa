"""Access tokens in the staff console: names and dates for troubleshooting, never a secret or
its hash. No staff role is granted these views."""

from django.contrib import admin

from api.models import ApiToken
from jobtrax.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("id", "user_id", "client", "created_at", "expires_at", "revoked_at")
    list_filter = ("client",)
    search_fields = ("=id", "=user__id")
    fields = ("id", "user", "client", "scopes", "created_at", "expires_at", "last_used_on",
              "revoked_at")  # fmt: skip
    readonly_fields = fields
    raw_id_fields = ("user",)
    show_full_result_count = False
