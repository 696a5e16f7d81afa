"""One direction of dependency between the apps, checked by import-linter on every run.

A layer may import the layers below it, never one above, neither at module level nor inside a
function. Apps that do not exist yet have their place already; an app of ours without a place
fails the suite until it is given one.
"""

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings

# Highest first.
LAYERS = [
    "importer",
    "jobs",
    "support",
    "accounts",
    "privacy.rights",
    "consent",
    "privacy",
    "logs_retention",
    "assistant",
    "jobtrax",
]
# These wire every app together by nature.
WIRING = ["jobtrax.urls", "jobtrax.celery", "jobtrax.wsgi", "jobtrax.asgi"]
ROOT = Path(settings.BASE_DIR)
# Capture and tracker meet only at the posting contract: the importer hands a plain posting to
# jobs.services (and may use jobs.posting, jobs.sanitize, the form), never the tracker's
# models; the tracker knows nothing of boards or the importer.
FORBIDDEN = [
    "",
    "[importlinter:contract:importer-not-jobs-models]",
    "name = The importer does not touch the tracker's models",
    "type = forbidden",
    "source_modules =",
    "    importer",
    "forbidden_modules =",
    "    jobs.models",
    "allow_indirect_imports = True",
    "",
    "[importlinter:contract:jobs-not-importer]",
    "name = The tracker knows nothing of the importer",
    "type = forbidden",
    "source_modules =",
    "    jobs",
    "forbidden_modules =",
    "    importer",
]


def _exists(module: str) -> bool:
    return (ROOT / module.replace(".", "/") / "__init__.py").exists()


def _layer(module: str) -> str:
    """A layer's modules: `privacy` is every module of the package but its `rights` app."""
    inner = [layer for layer in LAYERS if layer.startswith(module + ".")]
    if not inner:
        return module
    names = [
        f"{module}.{info.name}"
        for info in pkgutil.iter_modules([str(ROOT / module)])
        if f"{module}.{info.name}" not in inner
    ]
    return " : ".join(sorted(names))


def contract() -> str:
    present = [layer for layer in LAYERS if _exists(layer)]
    roots = sorted({layer.split(".")[0] for layer in present})
    lines = ["[importlinter]", "root_packages ="]
    lines += [f"    {root}" for root in roots]
    lines += ["", "[importlinter:contract:layers]", "name = Apps depend downwards only"]
    lines += ["type = layers", "layers ="]
    lines += [f"    {_layer(layer)}" for layer in present]
    lines += ["ignore_imports ="]
    lines += [f"    {module} -> **" for module in WIRING]
    lines += ["unmatched_ignore_imports_alerting = none"]
    lines += FORBIDDEN
    return "\n".join(lines) + "\n"


def lint_imports() -> str:
    return shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")


def test_the_apps_import_only_downwards(tmp_path):
    config = tmp_path / "importlinter.ini"
    config.write_text(contract())

    result = subprocess.run(
        [lint_imports(), str(config), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_every_app_of_ours_has_a_layer():
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and "site-packages" not in Path(config.path).parts
    }

    assert ours - set(LAYERS) == set()
