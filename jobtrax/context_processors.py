from django.conf import settings


def site(request) -> dict:
    return {
        "COMPANY_NAME": settings.JOBTRAX_COMPANY_NAME,
        "PRIVACY_EMAIL": settings.JOBTRAX_PRIVACY_EMAIL,
        "SUPPORT_EMAIL": settings.JOBTRAX_SUPPORT_EMAIL,
        "ASSISTANT_ENABLED": bool(settings.AI_API_URL),
    }
