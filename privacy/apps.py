from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from jobtrax import pagecache
        from privacy import personal_data  # noqa: F401 - declares the app's personal data
        from privacy.services import notice_banner_key

        # Kept pages show the notice's banner: a new material change renders them afresh.
        pagecache.register_frame_key(notice_banner_key)
