from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from jobtrax.visitorcache import visitor_page
from privacy import services
from privacy.models import NoticeVersion
from privacy.processors import get_processors
from privacy.rendering import diff_bodies


def _published_or_404(number: str) -> NoticeVersion:
    version = services.notice_get_published(number)
    if version is None:
        raise Http404("No such version of the privacy notice")
    return version


def _render_notice(request: HttpRequest, page: services.NoticePage) -> HttpResponse:
    current = services.notice_page()
    current_version = current.version if current is not None else None
    return render(
        request,
        "privacy/notice.html",
        {
            "version": page.version,
            "current": current_version,
            "is_current": current_version is not None and current_version.pk == page.version.pk,
            "previous": page.previous,
            "rendered": page.rendered,
            "toc_html": page.toc_html,
        },
    )


@require_GET
@visitor_page
def notice(request: HttpRequest) -> HttpResponse:
    page = services.notice_page()
    if page is None:
        raise Http404("The privacy notice has not been published yet")
    return _render_notice(request, page)


@require_GET
def versions(request: HttpRequest) -> HttpResponse:
    published = NoticeVersion.objects.filter(status=NoticeVersion.Status.PUBLISHED).order_by(
        "-published_at", "-pk"
    )
    rows = list(published)
    pairs = [(version, rows[index + 1] if index + 1 < len(rows) else None)
             for index, version in enumerate(rows)]  # fmt: skip
    return render(request, "privacy/versions.html", {"pairs": pairs})


@require_GET
def version(request: HttpRequest, number: str) -> HttpResponse:
    return _render_notice(request, services.notice_page(_published_or_404(number)))


@require_GET
def compare(request: HttpRequest, old: str, new: str) -> HttpResponse:
    if old == new:
        raise Http404("A version cannot be compared with itself")
    old_version, new_version = _published_or_404(old), _published_or_404(new)
    return render(
        request,
        "privacy/compare.html",
        {
            "old": old_version,
            "new": new_version,
            "rows": diff_bodies(old_version.body, new_version.body),
        },
    )


@require_GET
def processors(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/processors.html", {"processors": get_processors()})


@login_required
@require_POST
def acknowledge(request: HttpRequest) -> HttpResponse:
    version = _published_or_404(request.POST.get("version", ""))
    services.notice_acknowledge(request=request, version=version)
    messages.success(request, f"Thank you. You have acknowledged privacy notice {version.number}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("privacy:notice")
    return HttpResponseRedirect(target)
