from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def fetcher(request: HttpRequest) -> HttpResponse:
    """Public: the page JobTrax's importer names in its User-Agent, for site operators."""
    from importer.fetch import user_agent

    return render(
        request,
        "importer/fetcher.html",
        {
            "user_agent": user_agent(),
            "max_megabytes": settings.IMPORTER_MAX_BYTES // (1024 * 1024),
            "timeout": int(settings.IMPORTER_FETCH_TIMEOUT),
            "per_hour": settings.IMPORTER_LINK_IMPORTS_PER_HOUR,
        },
    )
