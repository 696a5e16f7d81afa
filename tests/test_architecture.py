"""One direction of dependency between the apps, checked by import-linter on every run.

A layer may import the layers below it, never one above, neither at module level nor inside a
function. Apps that do not exist yet have their place already; an app of ours without a place
fails the suite until it is given one.
"""

import ast
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings

# Highest first.
LAYERS = [
    "inbox",
    "api",
    "importer",
    "jobs",
    "support",
    "accounts",
    "rights",
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


# Templates and model strings obey the same layers -------------------------------------------

# The project's templates/ folder, by first path segment: whose page each one is.
TEMPLATE_OWNERS = {
    "account": "accounts",
    "allauth": "accounts",
    "mfa": "accounts",
    "usersessions": "accounts",
    "admin": "accounts",  # the staff console
    "rights": "rights",
    "errors": "jobtrax",
}
LOAD = re.compile(r"{%\s*load\s+([^%]*?)\s*%}")
ORDER = {layer: index for index, layer in enumerate(LAYERS)}


def _layer_of(module: str) -> str | None:
    """The layer a dotted module belongs to (the longest layer name it starts with)."""
    found = [layer for layer in LAYERS if module == layer or module.startswith(layer + ".")]
    return max(found, key=len) if found else None


def _template_layer(path: Path) -> str:
    relative = path.relative_to(ROOT)
    if relative.parts[0] == "templates":
        first = relative.parts[1] if len(relative.parts) > 2 else ""
        return TEMPLATE_OWNERS.get(first) or _layer_of(first) or "jobtrax"
    owner = ".".join(relative.parts[: relative.parts.index("templates")])
    return _layer_of(owner) or "jobtrax"


def _templates():
    for path in sorted(ROOT.rglob("*.html")):
        parts = path.relative_to(ROOT).parts
        if "templates" in parts and not {".venv", "node_modules", "staticfiles"} & set(parts):
            yield path


def _above(user: str, used: str) -> bool:
    """Whether `used` sits above `user` (a smaller index is higher)."""
    return ORDER[used] < ORDER[user]


def test_templates_load_tag_libraries_of_their_layer_or_below():
    from django.template.backends.django import get_installed_libraries

    libraries = get_installed_libraries()
    offenders = []
    for path in _templates():
        user = _template_layer(path)
        for names in LOAD.findall(path.read_text(encoding="utf-8")):
            for name in names.split():
                if name == "from" or name not in libraries:
                    continue
                module = _library_module(name)
                used = _layer_of(module)
                if used and _above(user, used):
                    offenders.append(f"{path.relative_to(ROOT)} ({user}) loads {name} ({used})")

    assert offenders == []


def _library_module(name: str) -> str:
    from django.template.backends.django import get_installed_libraries

    return get_installed_libraries()[name]


def _model_strings(tree: ast.AST):
    """(line, app label) of every apps.get_model("label", ...) or get_model("label.Model")."""
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            continue
        yield node.lineno, node.args[0].value.split(".")[0]


def test_model_strings_name_models_of_their_layer_or_below():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if {"tests", "migrations", ".venv", "benchmarks"} & set(parts):
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        user = _layer_of(module)
        if user is None or module in WIRING:
            continue
        for line, label in _model_strings(ast.parse(path.read_text(encoding="utf-8"))):
            try:
                target = _layer_of(apps.get_app_config(label).name)
            except LookupError:
                continue
            if target and _above(user, target):
                offenders.append(f"{module}:{line} names a {target} model from {user}")

    assert offenders == []
