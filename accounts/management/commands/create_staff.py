"""Create a staff account with one role, or move an existing account to that role."""

import getpass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from accounts.roles import ROLE_CHOICES, ROLES, roles_sync


class Command(BaseCommand):
    help = (
        "Create a staff account with one role (support, privacy or ops), or give an existing "
        "account that role. Prompts for the password, or with --no-password leaves it unset so "
        "the person sets their own through 'Forgot password'. The password is never printed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=sorted(ROLE_CHOICES))
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="Do not ask for a password; the person sets one through 'Forgot password'.",
        )

    def handle(self, *args, email: str, role: str, no_password: bool, **options) -> None:
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError("That is not a valid email address.") from exc
        group_name = ROLE_CHOICES[role]
        roles_sync()
        user = User.objects.filter(email=email).first()
        password = None
        if user is None and not no_password:
            password = self._ask_password(email)

        with transaction.atomic():
            created = user is None
            if created:
                user = User.objects.create_user(email=email, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"primary": True, "verified": True}
            )
            # One role per person: the groups of the other roles are removed.
            user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=group_name))
            user.groups.add(Group.objects.get(name=group_name))

        site = settings.SITE_URL
        self.stdout.write(
            f"Next: sign in at {site}{reverse('account_login')}"
            + (" (use 'Forgot password' first)" if created and password is None else "")
            + f", then add an authenticator app at {site}{reverse('mfa_activate_totp')} and "
            "keep the recovery codes somewhere safe. The staff console opens only after that."
        )
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} staff account #{user.pk} with the role {group_name}.")

    def _ask_password(self, email: str) -> str:
        for _ in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ.")
                continue
            try:
                validate_password(password, User(email=email))
            except ValidationError as exc:
                self.stderr.write(" ".join(exc.messages))
                continue
            return password
        raise CommandError("No valid password given; nothing was created.")
