from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from consent.analytics import analytics_config
from consent.services import consent_state


def consent(request: HttpRequest) -> dict:
    return {
        "consent": SimpleLazyObject(lambda: consent_state(request=request)),
        "consent_analytics": SimpleLazyObject(analytics_config),
    }
