"""Issuing, revoking and checking personal API tokens.

A token reads `nrs_<prefix>_<secret>`: the prefix finds the row (and is
shown in the admin), the whole token's sha256 is compared with the stored
one in constant time. The plain token exists only in the answer to the
person who issued it.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken

SCHEME = "nrs"
ISSUE_PERMISSION = "api.add_apitoken"
REVOKE_PERMISSION = "api.change_apitoken"
# last_used_at is written at most this often per token: one UPDATE a minute,
# not one a request.
USED_RESOLUTION = timedelta(minutes=1)
# Nobody types a token; anything longer is not one of ours.
MAX_TOKEN_LENGTH = 200


def secret_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_issue(*, token: ApiToken, by: AbstractBaseUser) -> str:
    """Save the new `token` (its user, name and expiry filled in) with a
    fresh secret, and return the plain token, which is kept nowhere."""
    if not by.has_perm(ISSUE_PERMISSION):
        raise PermissionDenied(_("You cannot issue API tokens."))
    user = token.user
    if not (user.is_active and user.is_staff):
        raise ValidationError({"user": _("Tokens are only for active staff accounts.")})
    if token.expires_at is None or token.expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose an expiry in the future.")})
    prefix = secrets.token_hex(4)
    plain = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    token.prefix = prefix
    token.secret_hash = secret_hash(plain)
    token.created_by = by
    token.save()
    return plain


def token_revoke(*, token: ApiToken, by: AbstractBaseUser) -> bool:
    """Stop the token working from now on; False if it already was revoked."""
    if not by.has_perm(REVOKE_PERMISSION):
        raise PermissionDenied(_("You cannot revoke API tokens."))
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now
    )
    if changed:
        token.revoked_at = now
    return bool(changed)


class TokenRefused(Exception):
    """The request's token opens nothing; the message says why."""


@dataclass(frozen=True)
class TokenCheck:
    token: ApiToken
    user: AbstractBaseUser


def token_authenticate(plain: str) -> TokenCheck:
    """The token and its user, or TokenRefused with a message for the client.

    One query finds the token with its user; last_used_at is then updated at
    most once a minute."""
    parts = plain.split("_", 2) if len(plain) <= MAX_TOKEN_LENGTH else []
    if len(parts) != 3 or parts[0] != SCHEME:
        raise TokenRefused(_("This is not an API token."))
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, secret_hash(plain)):
        raise TokenRefused(_("This API token is not known."))
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused(_("This API token was revoked."))
    if token.expires_at <= now:
        raise TokenRefused(_("This API token has expired."))
    user = token.user
    if not (user.is_active and user.is_staff):
        raise TokenRefused(_("This API token's account may no longer use the API."))
    if token.last_used_at is None or token.last_used_at <= now - USED_RESOLUTION:
        # Conditional, so two requests in the same second write once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return TokenCheck(token=token, user=user)
