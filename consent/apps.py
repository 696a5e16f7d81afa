from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        from consent import personal_data  # noqa: F401 - declares the app's personal data
        from consent.marketing import marketing_check
        from jobtrax.mail import Category, mail_check_register

        mail_check_register(Category.MARKETING, marketing_check)
