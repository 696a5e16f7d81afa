"""Forwarded emails in the staff console: that the feature is used and why messages were
dropped, never an address, a sender or a word of a message. No staff role is granted these
views."""

from django.contrib import admin

from inbox.models import ForwardingAddress, InboundCount, Proposal
from jobtrax.admin import ReadOnlyAdmin


@admin.register(ForwardingAddress)
class ForwardingAddressAdmin(ReadOnlyAdmin):
    list_display = ("user_id", "created_at", "day", "received_today")
    search_fields = ("=user__id",)
    fields = ("user", "created_at", "day", "received_today")
    readonly_fields = fields
    raw_id_fields = ("user",)
    show_full_result_count = False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("id", "user_id", "job_id", "kind", "proposed_stage", "created_at")
    list_filter = ("kind",)
    search_fields = ("=user__id",)
    fields = ("id", "user", "job", "kind", "proposed_stage", "created_at")
    readonly_fields = fields
    raw_id_fields = ("user", "job")
    show_full_result_count = False


@admin.register(InboundCount)
class InboundCountAdmin(ReadOnlyAdmin):
    """Messages dropped per day and reason (unverified sender, failed checks, limits)."""

    list_display = ("day", "reason", "count")
    list_filter = ("reason",)
    fields = ("day", "reason", "count")
    readonly_fields = fields
    date_hierarchy = "day"
