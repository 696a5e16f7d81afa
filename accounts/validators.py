from django.core.exceptions import ValidationError

MAX_PASSWORD_LENGTH = 1024


class MaximumLengthValidator:
    """Long passphrases are welcome; only absurd sizes are refused, to bound hashing work."""

    def validate(self, password: str, user=None) -> None:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValidationError(
                f"Use at most {MAX_PASSWORD_LENGTH} characters.", code="password_too_long"
            )

    def get_help_text(self) -> str:
        return f"Passphrases of up to {MAX_PASSWORD_LENGTH} characters are welcome."
