from django.http import HttpRequest

from consent.analytics import analytics_config
from consent.services import consent_state


def consent(request: HttpRequest) -> dict:
    # Every page's layout reads consent, so it is worked out here rather than behind a lazy
    # proxy, whose attribute lookups cost more than the state itself. The template calls
    # analytics_config only when analytics is on.
    return {"consent": consent_state(request=request), "consent_analytics": analytics_config}
