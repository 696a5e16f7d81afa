"""Request guards that hold for every page, including those of apps added later."""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import http_date


def refuse_nul_bytes(get_response: Callable[[HttpRequest], HttpResponse]):
    """A NUL byte in the address is a clear 4xx, never a database error.

    No link or form of ours ever puts one there, and PostgreSQL refuses it in any text value.
    In the path it names no page (404); in the query string it is a bad request (400).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        from jobtrax import views

        if "\x00" in request.path_info:
            return views.page_not_found(request)
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return views.bad_request(request)
        return get_response(request)

    return middleware


_NEVER_STORED = "max-age=0, no-cache, no-store, must-revalidate, private"

# Downloads by their type: a file someone saves is theirs, not the browser cache's or a proxy's.
_DOWNLOAD_TYPES = ("text/csv", "text/calendar", "application/zip", "application/json")


def private_responses_not_stored(get_response: Callable[[HttpRequest], HttpResponse]):
    """`Cache-Control: no-store` on every page for a signed-in person and on every download.

    What a signed-in person sees (their jobs, their data, the staff console) and every file
    (an attachment, a CSV, a calendar, an export) must not stay in a shared browser's cache or a
    proxy. Public pages for visitors keep their own caching.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        download = (
            "attachment" in response.get("Content-Disposition", "")
            or content_type in _DOWNLOAD_TYPES
        )
        if signed_in or download:
            if response.has_header("Cache-Control"):
                add_never_cache_headers(response)  # merged with what the view said
                patch_cache_control(response, private=True)
            else:  # what those two calls write, without parsing the header three times
                if not response.has_header("Expires"):
                    response.headers["Expires"] = http_date(time.time())
                response.headers["Cache-Control"] = _NEVER_STORED
        return response

    return middleware
