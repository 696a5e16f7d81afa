from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from privacy import services
from privacy.models import NoticeAcknowledgement, NoticeDelivery, NoticeSignup, NoticeVersion
from privacy.rendering import diff_bodies, render_body, unknown_placeholders

PUBLISH_PERM = "privacy.publish_noticeversion"


@admin.register(NoticeVersion)
class NoticeVersionAdmin(admin.ModelAdmin):
    """Staff draft, preview, compare and publish; a published version is read-only for good."""

    list_display = ("number", "status", "material", "effective_date", "published_at")
    list_filter = ("status", "material")
    search_fields = ("number", "change_summary")
    fields = ("number", "effective_date", "material", "change_summary", "body")
    readonly_fields = ("status", "published_at", "created_at")
    change_form_template = "admin/privacy/noticeversion/change_form.html"
    change_list_template = "admin/privacy/noticeversion/change_list.html"

    def get_fields(self, request: HttpRequest, obj: NoticeVersion | None = None):
        if obj is not None and obj.is_published:
            return (*self.fields, "status", "published_at")
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: NoticeVersion | None = None):
        if obj is not None and obj.is_published:
            return (*self.fields, *self.readonly_fields)
        return self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: NoticeVersion | None = None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: NoticeVersion | None = None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest):
        # The bulk delete action would skip the per-version check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: NoticeVersion, form, change: bool) -> None:
        services.notice_draft_save(version=obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="privacy_notice_preview"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="privacy_notice_publish"),
            path("<int:pk>/compare/", wrap(self.compare_view), name="privacy_notice_compare"),
            path(
                "acknowledgements/",
                wrap(self.acknowledgements_view),
                name="privacy_notice_acknowledgements",
            ),
            *super().get_urls(),
        ]

    def _get_version(self, request: HttpRequest, pk: int) -> NoticeVersion:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(NoticeVersion, pk=pk)

    def _context(self, request: HttpRequest, version: NoticeVersion | None, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": version,
            "title": title,
            "can_publish": request.user.has_perm(PUBLISH_PERM),
        }

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._get_version(request, pk)
        context = self._context(request, version, f"Preview of version {version.number}")
        context.update(
            rendered=render_body(version.body), unknown=unknown_placeholders(version.body)
        )
        return TemplateResponse(request, "admin/privacy/noticeversion/preview.html", context)

    def compare_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self._get_version(request, pk)
        against = services.notice_current()
        if version.is_published:
            against = services.notice_previous(version)
        if against is None or against.pk == version.pk:
            raise Http404("There is no other version to compare with")
        context = self._context(
            request, version, f"Version {against.number} compared with {version.number}"
        )
        context.update(old=against, new=version, rows=diff_bodies(against.body, version.body))
        return TemplateResponse(request, "admin/privacy/noticeversion/compare.html", context)

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm(PUBLISH_PERM):
            raise PermissionDenied
        version = self._get_version(request, pk)
        if request.method == "POST":
            return self._publish(request, version)
        context = self._context(request, version, f"Publish version {version.number}?")
        context["unknown"] = unknown_placeholders(version.body)
        return TemplateResponse(request, "admin/privacy/noticeversion/publish.html", context)

    def _publish(self, request: HttpRequest, version: NoticeVersion) -> HttpResponse:
        change_url = reverse("admin:privacy_noticeversion_change", args=[version.pk])
        try:
            services.notice_publish(version=version)
        except services.NoticeError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.log_change(request, version, f"Published version {version.number}.")
        note = " Users will see a banner and get an email." if version.material else ""
        self.message_user(request, f"Version {version.number} is published.{note}")
        return HttpResponseRedirect(change_url)

    def acknowledgements_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        change = services.notice_latest_material()
        context = self._context(request, None, "Acknowledgements of the current material version")
        if change is not None:
            version = NoticeVersion.objects.get(pk=change.version_id)
            context.update(version=version, stats=services.notice_acknowledgement_stats(version))
        return TemplateResponse(
            request, "admin/privacy/noticeversion/acknowledgements.html", context
        )


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Records that prove what users were shown or told: nobody edits them by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(NoticeAcknowledgement)
class NoticeAcknowledgementAdmin(_ReadOnlyAdmin):
    list_display = ("user", "version", "acknowledged_at")
    list_select_related = ("user", "version")
    list_filter = ("version",)
    raw_id_fields = ("user",)


@admin.register(NoticeSignup)
class NoticeSignupAdmin(_ReadOnlyAdmin):
    list_display = ("user", "version", "created_at")
    list_select_related = ("user", "version")
    list_filter = ("version",)
    raw_id_fields = ("user",)


@admin.register(NoticeDelivery)
class NoticeDeliveryAdmin(_ReadOnlyAdmin):
    list_display = ("user", "version", "status", "claimed_at", "sent_at")
    list_select_related = ("user", "version")
    list_filter = ("version", "status")
    raw_id_fields = ("user",)
