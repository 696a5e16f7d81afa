"""The browser extension's manifest and build: the rights it asks for, and nothing else.

Permissions are the extension's promise to the person installing it: `activeTab`, `scripting`
and `storage`, no host permission at install (the server's origin is optional, asked for when
connecting), no content script, no remote code, the default CSP."""

import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "extension" / "src"


def _load_build():
    spec = importlib.util.spec_from_file_location("extension_build", ROOT / "extension/build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()

ALLOWED_KEYS = {
    "manifest_version", "name", "short_name", "version", "description", "permissions",
    "optional_host_permissions", "action", "icons", "background", "browser_specific_settings",
}  # fmt: skip


def manifest() -> dict:
    return json.loads((SOURCE / "manifest.json").read_text())


def test_the_permissions_are_exactly_active_tab_scripting_and_storage():
    assert manifest()["permissions"] == ["activeTab", "scripting", "storage"]


@pytest.mark.parametrize("browser", build.BROWSERS)
def test_the_built_manifests_ask_for_nothing_more(browser):
    built = build.manifest_for(browser, "1.2.3")

    assert built["permissions"] == ["activeTab", "scripting", "storage"]
    assert set(built) <= ALLOWED_KEYS, sorted(set(built) - ALLOWED_KEYS)
    for key in ("host_permissions", "content_scripts", "content_security_policy",
                "optional_permissions", "externally_connectable", "web_accessible_resources",
                "update_url"):  # fmt: skip
        assert key not in built
    assert "<all_urls>" not in json.dumps(built)
    assert all(
        origin.endswith("/*") and "://" in origin for origin in built["optional_host_permissions"]
    )
    assert built["manifest_version"] == 3


def test_chromium_gets_a_service_worker_and_firefox_a_background_script_and_id():
    chromium = build.manifest_for("chromium", "1")
    firefox = build.manifest_for("firefox", "1")

    assert chromium["background"] == {"service_worker": "background.js"}
    assert "browser_specific_settings" not in chromium
    assert firefox["background"] == {"scripts": ["background.js"]}
    assert firefox["browser_specific_settings"]["gecko"]["id"]


def test_the_firefox_manifest_matches_the_webextension_schema_we_rely_on():
    """Without web-ext at hand: the keys Firefox reads, with the types it expects."""
    firefox = build.manifest_for("firefox", build.project_version())

    assert re.fullmatch(r"\d+(\.\d+){0,3}", firefox["version"])
    gecko = firefox["browser_specific_settings"]["gecko"]
    assert re.fullmatch(r"[a-z0-9.-]+@[a-z0-9.-]+", gecko["id"])
    assert int(gecko["strict_min_version"].split(".")[0]) >= 128  # optional_host_permissions
    assert firefox["action"]["default_popup"] == "popup.html"
    for size, icon in firefox["icons"].items():
        assert (SOURCE / icon).is_file(), icon
        assert size.isdigit()


def test_no_code_is_loaded_from_elsewhere():
    for path in SOURCE.rglob("*"):
        if path.suffix in (".js", ".html"):
            text = path.read_text()
            assert "eval(" not in text and "new Function" not in text, path
            assert not re.search(r"<script[^>]+src=[\"']https?:", text), path
            assert "importScripts" not in text, path
    assert not (SOURCE / "manifest.json").read_text().count("content_scripts")


def test_the_version_is_the_projects():
    assert build.manifest_for("chromium", build.project_version())["version"] == (
        build.project_version()
    )


def test_make_extension_builds_both_zips_reproducibly(tmp_path):
    for out in ("a", "b"):
        subprocess.run(
            [sys.executable, str(ROOT / "extension" / "build.py"), "--out", str(tmp_path / out)],
            check=True,
            capture_output=True,
        )
    for browser in build.BROWSERS:
        first = (tmp_path / "a" / f"jobtrax-{browser}.zip").read_bytes()
        second = (tmp_path / "b" / f"jobtrax-{browser}.zip").read_bytes()
        assert first == second
        with zipfile.ZipFile(tmp_path / "a" / f"jobtrax-{browser}.zip") as archive:
            names = archive.namelist()
            assert names == sorted(names)
            assert {info.date_time for info in archive.infolist()} == {build.FIXED_TIME}
            built = json.loads(archive.read("manifest.json"))
            assert built["version"] == build.project_version()
            assert "https://jobtrax.example" in archive.read("config.js").decode()


def test_web_ext_lint_finds_nothing_in_the_firefox_build(tmp_path):
    """Mozilla's own linter, where it is installed (`npm install web-ext`, WEB_EXT=its path)."""
    import os
    import shutil

    web_ext = os.environ.get("WEB_EXT") or shutil.which("web-ext")
    if not web_ext:
        pytest.skip("web-ext is not installed (npm install web-ext; WEB_EXT=path)")
    source = build.build_dir("firefox", tmp_path / "firefox", server="https://jobtrax.example")
    result = subprocess.run(
        [web_ext, "lint", "--source-dir", str(source), "--output", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    summary = json.loads(result.stdout)["summary"]

    assert summary == {"errors": 0, "notices": 0, "warnings": 0}, result.stdout
