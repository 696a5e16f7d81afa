"""Personal access tokens: every write goes through one function here.

A token is `jtx_` plus 32 random bytes (256 bits) in base64url. Only its SHA-256 is stored:
a password needs a slow hash (Argon2) because people choose guessable ones, but a secret with
256 bits of entropy cannot be guessed, so a fast hash is as safe and lets every API request be
checked by one indexed lookup instead of a 0.1 s Argon2 verification.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from api.models import SCOPES, ApiToken

PREFIX = "jtx_"
MAX_TOKENS = 50


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_create(
    *,
    user: AbstractBaseUser,
    name: str,
    scopes: list[str] | tuple[str, ...],
    days: int | None = None,
    client: str = ApiToken.Client.PERSONAL,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never available again."""
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": f"A token lasts from 1 to {settings.API_TOKEN_MAX_DAYS} days."}
        )
    scopes = sorted(set(scopes))
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise ValidationError({"scopes": "Choose at least one of the scopes listed."})
    name = " ".join(str(name).split())[:80]
    if not name:
        raise ValidationError({"name": "Give the token a name."})
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_TOKENS:
        raise ValidationError(f"You have {MAX_TOKENS} tokens: revoke one first.")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        client=client,
        prefix=secret[: len(PREFIX) + 4],
        secret_hash=token_hash(secret),
        scopes=scopes,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return token, secret


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, its last use set to today; None otherwise."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    today = timezone.localdate()
    if token.last_used_on != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
        token.last_used_on = today
    return token
