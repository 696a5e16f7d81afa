"""The notice versions shipped by migrations change as the service grows; tests that publish a
version of their own build on whichever is current."""

from privacy.models import NoticeVersion, version_key


def current() -> NoticeVersion:
    """The newest published version: the one a fresh install serves."""
    published = NoticeVersion.objects.filter(status=NoticeVersion.Status.PUBLISHED)
    return max(published, key=lambda version: version_key(version.number))


def later(step: int = 1) -> str:
    """A version number `step` minor versions after the current one."""
    major, minor = version_key(current().number)
    return f"{major}.{minor + step}"
