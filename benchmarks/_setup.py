"""Start-up shared by the benchmark scripts: Django with test-like settings, no request log."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def django_setup(**env: str) -> None:
    defaults = {
        "DJANGO_SETTINGS_MODULE": "jobtrax.settings",
        "SECRET_KEY": "benchmark-only-not-secret",
        "SECURE_HTTPS": "false",
        "STATIC_MANIFEST": "false",
        "REQUEST_LOG_ENABLED": "false",
        **env,
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
