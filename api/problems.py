"""Every API error in one shape: RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

import json
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

CONTENT_TYPE = "application/problem+json"


class Problem(Exception):
    """An error the API answers with; raised anywhere below a view."""

    def __init__(self, status: int, detail: str, **extra) -> None:
        super().__init__(detail)
        self.status = int(status)
        self.detail = detail
        self.extra = extra


def problem_response(
    request: HttpRequest | None, status: int, detail: str = "", **extra
) -> HttpResponse:
    status = HTTPStatus(int(status))
    body = {"type": "about:blank", "title": status.phrase, "status": status.value}
    if detail:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.path
    body.update(extra)
    response = HttpResponse(json.dumps(body), status=status.value, content_type=CONTENT_TYPE)
    if status == HTTPStatus.UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="JobTrax"'
    return response
