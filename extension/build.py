"""Build the browser extension: `dist/jobtrax-chromium.zip` and `dist/jobtrax-firefox.zip`.

One source (`extension/src/`) for both. The build sets the version (the project's, from
pyproject.toml) and the default server address (`EXTENSION_DEFAULT_SERVER`), and keeps for
each browser the keys it reads: Chromium's service worker; Firefox's background script and its
`browser_specific_settings`. The zips are reproducible: entries sorted, one fixed timestamp,
fixed file modes, so the same source always gives the same bytes.

    python extension/build.py [--out dist] [--server https://jobtrax.example]
"""

from __future__ import annotations

import argparse
import json
import os
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "extension" / "src"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
BROWSERS = ("chromium", "firefox")


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def manifest_for(browser: str, version: str) -> dict:
    manifest = json.loads((SOURCE / "manifest.json").read_text())
    manifest["version"] = version
    background = manifest["background"]
    if browser == "chromium":
        manifest.pop("browser_specific_settings")
        manifest["background"] = {"service_worker": background["service_worker"]}
    else:
        manifest["background"] = {"scripts": background["scripts"]}
    return manifest


def files_for(browser: str, version: str, server: str) -> dict[str, bytes]:
    """Every file of the built extension, by its path inside the zip."""
    files = {}
    for path in sorted(SOURCE.rglob("*")):
        if path.is_file():
            files[path.relative_to(SOURCE).as_posix()] = path.read_bytes()
    files["manifest.json"] = (json.dumps(manifest_for(browser, version), indent=2) + "\n").encode()
    files["config.js"] = (
        "// Written by the build: the server address the popup suggests.\n"
        f"export const DEFAULT_SERVER = {json.dumps(server)};\n"
    ).encode()
    return files


def build_dir(browser: str, target: Path, *, server: str, version: str | None = None) -> Path:
    """The unpacked extension in `target`, as a browser loads it in development."""
    for name, content in files_for(browser, version or project_version(), server).items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return target


def build_zip(browser: str, out: Path, *, server: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"jobtrax-{browser}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in sorted(files_for(browser, project_version(), server).items()):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "dist"))
    parser.add_argument(
        "--server",
        default=os.environ.get("EXTENSION_DEFAULT_SERVER", "https://jobtrax.example"),
    )
    args = parser.parse_args()
    for browser in BROWSERS:
        print(build_zip(browser, Path(args.out), server=args.server))


if __name__ == "__main__":
    main()
