from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from jobtrax.admin import ReadOnlyAdmin
from rights import selectors, services
from rights.forms import StaffActionForm
from rights.models import (
    AuditRecord,
    DataExport,
    DataSubjectRequest,
    DeletionReceipt,
    LegalHold,
)

# Which permission each staff action needs.
ACTION_PERMISSIONS = {
    "send_code": "rights.verify_request",
    "verify_code": "rights.verify_request",
    "acknowledge": "rights.verify_request",
    "extend": "rights.extend_deadline",
    "run_export": "rights.run_export",
    "run_erasure": "rights.run_erasure",
    "mark_minor": "rights.mark_minor",
    "place_hold": "rights.place_legal_hold",
    "lift_hold": "rights.place_legal_hold",
    "restrict": "rights.restrict_processing",
    "lift_restriction": "rights.lift_restriction",
    "record_objection": "rights.record_objection",
    "lift_objection": "rights.lift_objection",
    "correct_email": "rights.correct_email",
    "deny": "rights.change_datasubjectrequest",
    "complete": "rights.change_datasubjectrequest",
}


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(admin.ModelAdmin):
    """The queue of every request, self-service or by email, with its legal deadline."""

    list_display = (
        "id",
        "kind",
        "channel",
        "regime",
        "status",
        "received_at",
        "due_on",
        "days_left_display",
        "acknowledgement",
        "verified",
        "user",
    )
    list_filter = ("status", "kind", "regime", "channel")
    list_select_related = ("user",)
    search_fields = ("=id", "subject_email", "user__email")
    ordering = ("due_on", "id")
    raw_id_fields = ("user",)
    add_fields = ("kind", "subject_email", "user", "channel", "regime", "details", "received_at")
    readonly_fields = (
        "kind",
        "subject_email",
        "user",
        "channel",
        "regime",
        "status",
        "details",
        "received_at",
        "due_on",
        "days_left_display",
        "acknowledge_by",
        "acknowledged_at",
        "extension",
        "extension_reason",
        "verified_at",
        "verification_method",
        "denial_reason",
        "completed_at",
        "erase_after",
        "reported_minor",
    )
    change_form_template = "admin/rights/datasubjectrequest/change_form.html"

    class Media:
        css = {"all": ["rights/admin.css"]}

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "regime" in form.base_fields:
            form.base_fields["regime"].required = False
            form.base_fields[
                "regime"
            ].help_text = "Leave empty to choose from the account's location."
        return form

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        created = services.request_create(
            kind=obj.kind,
            channel=obj.channel,
            subject_email=obj.subject_email,
            user=obj.user,
            regime=form.cleaned_data.get("regime") or "",
            details=obj.details,
            received_at=obj.received_at,
        )
        obj.__dict__.update(created.__dict__)

    @admin.display(description="days left", ordering="due_on")
    def days_left_display(self, obj: DataSubjectRequest) -> str:
        if not obj.is_open:
            return "—"
        days = obj.days_left()
        css = "rights-overdue" if days < 0 else "rights-due-soon" if days <= 7 else "rights-ok"
        label = f"{-days} overdue" if days < 0 else str(days)
        return format_html('<span class="{}">{}</span>', css, label)

    @admin.display(description="acknowledge by")
    def acknowledgement(self, obj: DataSubjectRequest) -> str:
        """CCPA: an acknowledgement within 10 business days; highlighted when late."""
        if obj.acknowledge_by is None or obj.acknowledged_at is not None or not obj.is_open:
            return "—"
        late = obj.acknowledge_by < timezone.localdate()
        css = "rights-overdue" if late else "rights-due-soon"
        return format_html('<span class="{}">{}</span>', css, obj.acknowledge_by.isoformat())

    @admin.display(boolean=True, description="verified")
    def verified(self, obj: DataSubjectRequest) -> bool:
        return obj.is_verified

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/act/",
                self.admin_site.admin_view(self.act_view),
                name="rights_datasubjectrequest_act",
            ),
            path(
                "<int:pk>/subject-data/",
                self.admin_site.admin_view(self.subject_data_view),
                name="rights_datasubjectrequest_subject_data",
            ),
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "action_form": StaffActionForm()}
        return super().change_view(request, object_id, form_url, extra_context)

    def act_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, pk)

    def subject_data_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        dsr = get_object_or_404(DataSubjectRequest, pk=pk)
        if not request.user.has_perm("rights.verify_request"):
            raise PermissionDenied
        try:
            subject = services.request_account(dsr)
        except services.RightsError as exc:
            messages.error(request, str(exc))
            return redirect("admin:rights_datasubjectrequest_change", pk)
        services.audit_record(
            actor=request.user, action="viewed_data", target_user_id=dsr.user_id, dsr=dsr
        )
        context = {
            **self.admin_site.each_context(request),
            **selectors.data_overview(subject),
            "staff_view": True,
            "dsr": dsr,
            "title": f"Data of the account of request #{dsr.pk}",
        }
        return render(request, "rights/admin/subject_data.html", context)


@require_POST
def _act(request: HttpRequest, pk: int) -> HttpResponse:
    dsr = get_object_or_404(DataSubjectRequest.objects.select_related("user"), pk=pk)
    form = StaffActionForm(request.POST)
    back = redirect(reverse("admin:rights_datasubjectrequest_change", args=[pk]))
    if not form.is_valid():
        messages.error(request, "Choose an action.")
        return back
    action = form.cleaned_data["action"]
    if not request.user.has_perm(ACTION_PERMISSIONS[action]):
        raise PermissionDenied
    reason = form.cleaned_data.get("reason") or ""
    actor = request.user
    try:
        if action == "send_code":
            services.request_send_code(dsr=dsr, actor=actor)
        elif action == "verify_code":
            services.request_verify_code(dsr=dsr, actor=actor, code=form.cleaned_data["code"])
        elif action == "acknowledge":
            services.request_acknowledge(dsr=dsr, actor=actor)
        elif action == "extend":
            services.request_extend(
                dsr=dsr, actor=actor, amount=form.cleaned_data.get("amount") or 0, reason=reason
            )
        elif action == "run_export":
            services.request_run_export(dsr=dsr, actor=actor)
        elif action == "run_erasure":
            services.request_run_erasure(dsr=dsr, actor=actor)
        elif action == "mark_minor":
            services.account_mark_minor(dsr=dsr, actor=actor, note=reason)
        elif action == "place_hold":
            user = services.request_account(dsr)
            services.legal_hold_place(user=user, actor=actor, reason=reason, dsr=dsr)
        elif action == "lift_hold":
            services.legal_holds_lift(user_id=dsr.user_id, actor=actor, reason=reason)
        elif action == "restrict":
            user = services.request_account(dsr)
            if services.restriction_apply(user=user, actor=actor, dsr=dsr) is None:
                raise services.RightsError("Processing of this account is already restricted.")
        elif action == "lift_restriction":
            user = services.request_account(dsr)
            services.restriction_lift(user=user, actor=actor, reason=reason, dsr=dsr)
        elif action == "record_objection":
            user = services.request_account(dsr)
            services.objection_apply(user=user, actor=actor, dsr=dsr)
        elif action == "lift_objection":
            user = services.request_account(dsr)
            services.objection_lift(user=user, actor=actor, reason=reason, dsr=dsr)
        elif action == "correct_email":
            user = services.request_account(dsr)
            services.email_change_start(
                request=request,
                user=user,
                email=form.cleaned_data.get("new_email") or "",
                actor=actor,
                dsr=dsr,
            )
        elif action == "deny":
            services.request_deny(dsr=dsr, actor=actor, reason=reason)
        elif action == "complete":
            services.request_complete(dsr=dsr, actor=actor, note=reason)
    except services.RightsError as exc:
        messages.error(request, str(exc))
        return back
    messages.success(request, f"Done: {dict(StaffActionForm.ACTIONS)[action]}.")
    return back


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    """Status only: staff never download a user's export."""

    list_display = ("id", "user", "status", "progress", "created_at", "expires_at", "size")
    list_filter = ("status",)
    list_select_related = ("user",)
    raw_id_fields = ("user", "request")
    fields = ("user", "request", "status", "progress", "created_at", "ready_at", "expires_at",
              "size", "downloaded_at")  # fmt: skip


@admin.register(DeletionReceipt)
class DeletionReceiptAdmin(ReadOnlyAdmin):
    list_display = ("id", "request_id_ref", "reason", "requested_at", "erased_at", "created_at")
    list_filter = ("reason",)
    search_fields = ("=request_id_ref", "=email_hmac")


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    """Holds are placed and lifted from a request, so each step is audited."""

    list_display = ("id", "user", "request", "placed_at", "lifted_at")
    list_select_related = ("user",)
    raw_id_fields = ("user", "request")


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "target_user_id", "request")
    list_filter = ("action",)
    list_select_related = ("actor",)
    search_fields = ("=target_user_id", "=request__id")
    raw_id_fields = ("actor", "request")
