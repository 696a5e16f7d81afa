"""The API's edge: CORS for the browser extension only, and the rate limit headers.

CORS is answered only for extension origins (chrome-extension://, moz-extension://), and only
for requests that carry a bearer token (a preflight must announce the Authorization header).
No credentials (cookies) are ever allowed across origins. Every other origin gets no CORS
header, so a web page elsewhere cannot read the API with a visitor's session.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from api.problems import CONTENT_TYPE as PROBLEM
from api.problems import problem_response

API_PREFIX = "/api/"
EXTENSION_SCHEMES = ("chrome-extension://", "moz-extension://")
ALLOWED_METHODS = "GET, POST, PATCH, PUT, DELETE"
ALLOWED_HEADERS = "Authorization, Content-Type"


def _extension_origin(request: HttpRequest) -> str:
    origin = request.headers.get("Origin", "")
    if origin.startswith(EXTENSION_SCHEMES) and len(origin) < 200 and "\n" not in origin:
        return origin
    return ""


class ApiEdgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        origin = _extension_origin(request)
        if request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
            return self._preflight(request, origin)
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM):
            # Every error in one shape, even those answered before the API's handlers (a
            # method the path does not take).
            allow = response.get("Allow")
            response = problem_response(request, response.status_code)
            if allow:
                response["Allow"] = allow
        quota = getattr(request, "api_quota", None)
        if quota is not None:
            for name, value in quota.headers().items():
                response[name] = value
        bearer = request.headers.get("Authorization", "").lower().startswith("bearer ")
        if origin and bearer:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = "RateLimit, RateLimit-Policy"
            response["Vary"] = "Origin"
        return response

    def _preflight(self, request: HttpRequest, origin: str) -> HttpResponse:
        response = HttpResponse(status=204)
        asked = request.headers.get("Access-Control-Request-Headers", "").lower()
        if origin and "authorization" in asked:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "600"
        response["Vary"] = "Origin"
        return response
