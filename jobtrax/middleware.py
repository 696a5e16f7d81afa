"""Request guards that hold for every page, including those of apps added later."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
