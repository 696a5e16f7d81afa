"""Support messages in the staff console.

Support handles every topic but privacy; messages about privacy go to the Privacy officer
role, which can also turn one into a data-subject request. Lists mask the reply-to address;
opening a message, where it is shown in full, is audited.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from accounts.admin import audit_staff_view
from support import services
from support.forms import ReplyForm
from support.models import SupportMessage

REPLY_PERMISSION = "support.reply_supportmessage"
PRIVACY_PERMISSION = "support.handle_privacy_message"


class ToRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of request")

    def __init__(self, *args, **kwargs):
        from rights.models import DataSubjectRequest as DSR

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DSR.Kind.choices


@admin.register(SupportMessage)
class SupportMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "email", "status", "created_at", "replies_sent", "user")
    list_filter = ("status", "topic")
    list_select_related = ("user",)
    # Exact match only, so a search cannot list addresses by a fragment.
    search_fields = ("=email",)
    search_help_text = "Search by the full email address."
    ordering = ("status", "-created_at")
    raw_id_fields = ("user", "request")
    fields = (
        "topic",
        "email",
        "user",
        "message",
        "status",
        "created_at",
        "answered_at",
        "replies_sent",
        "last_reply_at",
        "closed_at",
        "request",
    )
    readonly_fields = fields
    change_form_template = "admin/support/supportmessage/change_form.html"

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if not request.user.has_perm(PRIVACY_PERMISSION):
            queryset = queryset.exclude(topic=SupportMessage.Topic.PRIVACY)
        return queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Messages go when their retention window ends, never by hand.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj):
            audit_staff_view(request, obj=obj, user_id=obj.user_id)
        extra_context = {
            **(extra_context or {}),
            "can_reply": request.user.has_perm(REPLY_PERMISSION),
            "can_make_request": obj is not None
            and obj.is_privacy
            and obj.request_id is None
            and request.user.has_perm(PRIVACY_PERMISSION)
            and request.user.has_perm("rights.add_datasubjectrequest"),
            "to_request_form": ToRequestForm(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="support_supportmessage_reply",
            ),
            path(
                "<int:pk>/close/",
                self.admin_site.admin_view(require_POST(self.close_view)),
                name="support_supportmessage_close",
            ),
            path(
                "<int:pk>/to-request/",
                self.admin_site.admin_view(require_POST(self.to_request_view)),
                name="support_supportmessage_to_request",
            ),
        ]
        return urls + super().get_urls()

    def _get_for_action(self, request: HttpRequest, pk: int) -> SupportMessage:
        if not request.user.has_perm(REPLY_PERMISSION):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def reply_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        support_message = self._get_for_action(request, pk)
        back = reverse("admin:support_supportmessage_change", args=[pk])
        if request.method == "POST":
            form = ReplyForm(request.POST)
            if form.is_valid():
                try:
                    services.support_message_reply(
                        support_message=support_message,
                        actor=request.user,
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                        close=form.cleaned_data["close"],
                    )
                except services.SupportError as exc:
                    messages.error(request, str(exc))
                    return redirect(back)
                messages.success(request, "Your reply was sent.")
                return redirect(back)
        else:
            form = ReplyForm(initial={"subject": "Your message to JobTrax"})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reply to support message #{support_message.pk}",
            "support_message": support_message,
            "form": form,
            "opts": self.model._meta,
            "back": back,
        }
        return render(request, "admin/support/supportmessage/reply.html", context)

    def close_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        support_message = self._get_for_action(request, pk)
        services.support_message_close(support_message=support_message, actor=request.user)
        messages.success(request, "The message is closed.")
        return redirect(reverse("admin:support_supportmessage_change", args=[pk]))

    def to_request_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not (
            request.user.has_perm(PRIVACY_PERMISSION)
            and request.user.has_perm("rights.add_datasubjectrequest")
        ):
            raise PermissionDenied
        support_message = get_object_or_404(self.get_queryset(request), pk=pk)
        back = redirect(reverse("admin:support_supportmessage_change", args=[pk]))
        form = ToRequestForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose the kind of request.")
            return back
        try:
            dsr = services.support_message_to_request(
                support_message=support_message,
                actor=request.user,
                kind=form.cleaned_data["kind"],
            )
        except services.SupportError as exc:
            messages.error(request, str(exc))
            return back
        messages.success(request, f"Request #{dsr.pk} was opened from this message.")
        return redirect(reverse("admin:rights_datasubjectrequest_change", args=[dsr.pk]))
