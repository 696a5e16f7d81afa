import time
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from accounts import services
from jobtrax.mail import Category, mail_send, site_link
from jobtrax.net import client_ip
from rights.services import deletion_pending

# A sign-in during a deletion's grace period, waiting for the person's choice (user id and
# when), kept in the session for DELETION_CHOICE_SECONDS.
DELETION_CHOICE_KEY = "jobtrax_deletion_choice"
DELETION_CHOICE_SECONDS = 15 * 60


def user_display(user) -> str:
    """How allauth names a person to themselves: their own email address (ACCOUNT_USER_DISPLAY).

    `str(user)` stays "User #n", so logs and the audit trail never carry the address.
    """
    return user.email or str(user)


def on_site(url: str) -> str:
    """The same address on SITE_URL: emailed links never depend on the host a request came in on."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return site_link(path)


def signed_in_moments_ago(request: HttpRequest | None) -> bool:
    """Whether this session's password sign-in is younger than ACCOUNT_REAUTHENTICATION_TIMEOUT."""
    if request is None or not request.user.is_authenticated:
        return False
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    signed_in = [r["at"] for r in records if r.get("method") == "password" and "at" in r]
    return (
        bool(signed_in) and time.time() - signed_in[-1] < allauth_settings.REAUTHENTICATION_TIMEOUT
    )


# A page on this site to land on after the next sign-in, set by a page that sent a signed-out
# visitor to sign in (or sign up) and wants them back afterwards, even past email verification.
RESUME_SESSION_KEY = "accounts_resume_url"


def remember_resume_url(request: HttpRequest, url: str) -> None:
    if url.startswith("/") and not url.startswith("//"):
        request.session[RESUME_SESSION_KEY] = url


def forget_resume_url(request: HttpRequest) -> None:
    request.session.pop(RESUME_SESSION_KEY, None)


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up two-factor sign-in right after entering the password (a new staff member's
        # first sign-in) does not ask for the same password again a moment later.
        if app == "allauth.mfa" and signed_in_moments_ago(self.request or allauth_context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth builds its links (verification, password reset, sign-up) from the request's
        # host and names the site from the Sites framework; both come from settings instead.
        links = {
            key: on_site(value)
            for key, value in context.items()
            if key.endswith("_url") and isinstance(value, str) and "://" in value
        }
        site = SimpleNamespace(
            name=settings.JOBTRAX_COMPANY_NAME, domain=urlsplit(settings.SITE_URL).netloc
        )
        request = allauth_context.request
        mail_send(
            to=email,
            template=template_prefix,
            context={"request": request, "email": email, **context, **links, "current_site": site},
            category=Category.ACCOUNT,
            request=request,
        )

    def clean_email(self, email: str) -> str:
        # allauth's email fields have no length limit of their own; the column has one, and
        # PostgreSQL would refuse a longer value with an error instead of a form message.
        limit = allauth_settings.EMAIL_MAX_LENGTH
        if len(email) > limit:
            raise forms.ValidationError(f"Use an email address of at most {limit} characters.")
        return super().clean_email(email)

    def get_client_ip(self, request: HttpRequest) -> str:
        # Rate limits and session records key on the same address as the request log, the
        # consent proof and GeoIP, so a trusted proxy gives each client its own budget.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=False)
        services.account_prepare_signup(request=request, user=user, cleaned_data=form.cleaned_data)
        if commit:
            user.save()
            services.account_signed_up(
                request=request,
                user=user,
                marketing_opt_in=bool(form.cleaned_data.get("marketing_opt_in")),
            )
        return user

    def pre_login(self, request: HttpRequest, user, **kwargs):
        # An account waiting for deletion may sign in (all factors) once, to cancel it;
        # the cancellation itself happens in login(), after every login stage has passed.
        if not user.is_active and deletion_pending(user):
            return None
        return super().pre_login(request, user, **kwargs)

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        from django.core.exceptions import ValidationError

        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:  # too many failed attempts
            services.account_login_throttled(request=request)
            raise

    def authentication_failed(self, request: HttpRequest, **credentials) -> None:
        super().authentication_failed(request, **credentials)
        services.account_login_failed(request=request, email=credentials.get("email") or "")

    def login(self, request: HttpRequest, user) -> None:
        if not user.is_active and deletion_pending(user):
            # Every factor has passed, but signing in does not decide for the person: the
            # next page asks whether to keep the deletion or cancel it (accounts.views). The
            # account is still inactive, so from the next request on the session is not
            # signed in; it only remembers who is choosing.
            super().login(request, user)
            request.session[DELETION_CHOICE_KEY] = {"user": user.pk, "at": time.time()}
            return
        super().login(request, user)
        services.account_logged_in(request=request, user=user)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # A sign-in during the deletion grace period first asks whether to keep the deletion;
        # then a capture made while signed out lands in its preview.
        if request.session.get(DELETION_CHOICE_KEY):
            return reverse("accounts:deletion_choice")
        resume = request.session.get(RESUME_SESSION_KEY, "")
        if resume.startswith("/") and not resume.startswith("//"):
            return resume
        return super().get_login_redirect_url(request)


def deletion_cancelled_message(request: HttpRequest) -> None:
    messages.warning(
        request,
        format_html(
            "You cancelled the deletion of your account: it stays open, and we emailed you to "
            'confirm. To delete it after all, <a href="{}">ask again</a>.',
            reverse("rights:deletion_request"),
        ),
    )
