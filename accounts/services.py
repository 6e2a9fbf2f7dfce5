"""Readers' accounts: signing up, confirming, their data, closing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import (
    PasswordResetTokenGenerator,
    default_token_generator,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import ReaderProfile
from accounts.signals import reader_closing, reader_data_requested
from core.text import normalize_email, skeleton_variants

# --- Signing up -----------------------------------------------------------------------


class SignUpTokenGenerator(PasswordResetTokenGenerator):
    """Links that open a new account; dead once it is open, and never
    mistaken for a password reset link (another salt)."""

    # Its name from when it lived in comments: links already mailed still work.
    key_salt = "comments.services.SignUpTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


sign_up_tokens = SignUpTokenGenerator()


class DisplayNameTaken(ValidationError):
    """Another reader's name, or one that looks like it."""


def display_name_owner(name: str, *, exclude_user=None) -> ReaderProfile | None:
    """The reader whose display name `name` is, or looks like: the database's
    own rule (the lower-case name is unique) first, then the confusables
    skeleton ("Мarta" with a Cyrillic М is "Marta")."""
    same = Q(lowered=Lower(Value(name)))
    alike = Q(display_name_skeleton__in=skeleton_variants(name))
    readers = ReaderProfile.objects.alias(lowered=Lower("display_name"))
    if exclude_user is not None:
        readers = readers.exclude(user=exclude_user)
    exact = readers.filter(same).first()
    return exact or readers.filter(alike).order_by("pk").first()


def display_name_check(name: str, *, exclude_user=None) -> None:
    """Raise DisplayNameTaken, naming the reader it would be taken for."""
    owner = display_name_owner(name, exclude_user=exclude_user)
    if owner is None:
        return
    if owner.display_name.lower() == name.lower():
        raise DisplayNameTaken(_("Another reader already uses this name."))
    raise DisplayNameTaken(
        _(
            "“%(name)s” looks too much like “%(existing)s”, the name of another "
            "reader. Choose a name that looks different."
        )
        % {"name": name, "existing": owner.display_name}
    )


def _site_link(name: str, user) -> str:
    kwargs = {"uidb64": urlsafe_base64_encode(force_bytes(user.pk))}
    tokens = sign_up_tokens if name == "accounts:signup_confirm" else None
    kwargs["token"] = (tokens or default_token_generator).make_token(user)
    return settings.NEWSROOM_SITE_URL + reverse(name, kwargs=kwargs)


def _send_sign_up_confirmation(user, display_name: str, next_url: str) -> None:
    link = _site_link("accounts:signup_confirm", user)
    if next_url:
        link += "?" + urlencode({"next": next_url})
    message = _(
        "Hello %(name)s,\n\nto open your %(site)s account and join the "
        "discussions, confirm your email address here:\n\n%(link)s\n\n"
        "If you did not sign up, ignore this email: no account is opened "
        "without this link.\n"
    ) % {
        "name": display_name,
        "site": settings.NEWSROOM_SITE_NAME,
        "link": link,
    }
    send_mail(
        _("Confirm your %(site)s account") % {"site": settings.NEWSROOM_SITE_NAME},
        message,
        None,
        [user.email],
    )


def _send_already_signed_up(user) -> None:
    message = _(
        "Someone, perhaps you, tried to sign up to %(site)s with this email "
        "address. You already have an account, and nothing about it changed.\n\n"
        "If you forgot your password, choose a new one here:\n\n%(link)s\n\n"
        "If it was not you, you can ignore this email.\n"
    ) % {
        "site": settings.NEWSROOM_SITE_NAME,
        "link": _site_link("accounts:password_reset_confirm", user),
    }
    send_mail(
        _("Sign-up attempt with your %(site)s address")
        % {"site": settings.NEWSROOM_SITE_NAME},
        message,
        None,
        [user.email],
    )


def _is_waiting_for_confirmation(user) -> bool:
    # Staff accounts an administrator closed are never reopened from here.
    return not (user.is_active or user.is_staff) and user.last_login is None


def reader_waiting_for_confirmation(email: str):
    """The account a sign-up with `email` started and nobody confirmed yet."""
    return (
        get_user_model()
        .objects.filter(
            username=email, is_active=False, is_staff=False, last_login=None
        )
        .first()
    )


def reader_sign_up(
    *, email: str, password: str, display_name: str, next_url: str = ""
) -> None:
    """Start a reader's account, closed until they follow the link mailed to
    them; if the address already has an account, mail its owner instead.

    Both ways hash the password once, write to the database and send one
    email, and return nothing, so neither the page nor its timing tells
    whether the address was known. Raises DisplayNameTaken.
    """
    user_model = get_user_model()
    email = normalize_email(email)
    password_hash = make_password(password)
    try:
        with transaction.atomic():
            existing = (
                user_model.objects.select_for_update().filter(username=email).first()
            )
            if existing is None:
                user = user_model.objects.create(
                    username=email, email=email, password=password_hash, is_active=False
                )
                ReaderProfile.objects.create(user=user, display_name=display_name)
            elif _is_waiting_for_confirmation(existing):
                # A new try replaces an unconfirmed one: only the latest
                # link works, and it opens the account with the latest
                # password, so nobody can sit on someone else's address.
                existing.password = password_hash
                existing.save(update_fields=["password"])
                ReaderProfile.objects.update_or_create(
                    user=existing, defaults={"display_name": display_name}
                )
    except IntegrityError:
        # The address or the name was taken a moment ago by another sign-up.
        existing = user_model.objects.filter(username=email).first()
        if existing is None:
            raise DisplayNameTaken(
                _("Another reader already uses this name.")
            ) from None
    if existing is None:
        _send_sign_up_confirmation(user, display_name, next_url)
    elif _is_waiting_for_confirmation(existing):
        profile = ReaderProfile.objects.filter(user=existing).first()
        name = profile.display_name if profile else display_name
        _send_sign_up_confirmation(existing, name, next_url)
    else:
        _send_already_signed_up(existing)


@transaction.atomic
def reader_create(*, email: str, password: str, display_name: str):
    """An open reader account at once, with no email: for accounts a newsroom
    makes itself (the demo's readers). Readers sign up with reader_sign_up.
    Raises DisplayNameTaken."""
    display_name_check(display_name)
    email = normalize_email(email)
    user = get_user_model().objects.create_user(
        username=email, email=email, password=password
    )
    ReaderProfile.objects.create(user=user, display_name=display_name)
    return user


def reader_confirm_sign_up(*, user, token: str) -> bool:
    """Open the account the link was mailed for; False if the link is not
    (or no longer) good."""
    if user is None or user.is_staff or not sign_up_tokens.check_token(user, token):
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True


# --- Readers' own data ----------------------------------------------------------------


def reader_data_export(user) -> dict:
    """Everything the site keeps about a reader, for them to download: the
    account, then what each app keeps (see accounts.signals)."""
    profile = getattr(user, "reader", None)
    export = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "display_name": profile.display_name if profile else "",
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
    }
    for _receiver, sections in reader_data_requested.send(sender=None, user=user):
        export.update(sections)
    return export


@transaction.atomic
def reader_delete_account(*, user) -> None:
    """Close a reader's account for good. Their comments stay in the threads
    (replies would lose their context otherwise) under “Former reader”, with
    nothing that identifies them: the account's name, email, password, IP
    addresses and browsers are erased."""
    if user.is_staff:
        raise PermissionDenied(_("Staff accounts are closed by an administrator."))
    reader_closing.send(sender=None, user=user)
    ReaderProfile.objects.update_or_create(
        user=user,
        defaults={"display_name": _("Former reader"), "ban_reason": ""},
    )
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    # A new password hash also ends every session the account had open.
    user.save()
