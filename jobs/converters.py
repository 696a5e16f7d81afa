class JobIdConverter:
    """A job id: digits that fit a 64-bit key, so a huge number is a 404, never a 500."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
