from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _sync_roles(sender, using="default", **kwargs) -> None:
    from accounts.roles import roles_sync

    roles_sync(using=using)


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # After every app's migrations, so permissions of apps migrated later are attached.
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.roles_sync")
        # The app's personal data, declared; session records reduced before saving.
        from accounts import personal_data, sessions, snapshots  # noqa: F401

        # Every save or delete of an account ends its cached copy.
        snapshots.connect(self.get_model("User"))


class StaffAdminConfig(admin_apps.AdminConfig):
    """The admin, as the staff console: MFA-only, privacy-safe change log, dashboards."""

    default = False
    default_site = "accounts.admin_site.StaffAdminSite"
