from django.contrib import admin

from importer.models import ImportPreview, PendingCapture
from jobtrax.admin import ReadOnlyAdmin


@admin.register(ImportPreview)
class ImportPreviewAdmin(admin.ModelAdmin):
    """Ops can see that imports run and fail, with the reason; never what was imported."""

    list_display = ("id", "owner_id", "method", "status", "error", "created_at")
    list_filter = ("status", "method", "error")
    fields = ("id", "owner_id", "method", "status", "error", "created_at")
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PendingCapture)
class PendingCaptureAdmin(ReadOnlyAdmin):
    """Ops can see that held captures exist and expire; never what was captured or its token."""

    list_display = ("created_at",)
    fields = ("created_at",)
    readonly_fields = fields
    date_hierarchy = "created_at"
    show_full_result_count = False
