"""Show what the importer reads from a page, an API response or a link, without saving anything."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from importer import boards, fetch
from importer.extract import extract_postings, jsonld, posting_from_text
from importer.posting import Posting

# Local files larger than this are not read: no page or API response comes near it.
MAX_FILE_BYTES = 20 * 1024 * 1024
PAGE_KINDS = ("page", "jsonld", "text")


class Command(BaseCommand):
    help = (
        "Print the job postings the importer finds in PATH_OR_URL (an HTML page, page source, "
        "a JSON-LD block, plain text, a board's API response, or a link), and change nothing. "
        "For a JSON file, --source names the ATS or job board whose API response it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path_or_url", metavar="PATH_OR_URL")
        parser.add_argument(
            "--source",
            choices=sorted(boards.ADAPTERS) + list(PAGE_KINDS),
            help="What the file holds: a board's API response, a page (default), a JSON-LD "
            "block, or plain text.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print only a JSON array of the postings.",
        )

    def handle(self, *args, path_or_url: str, source: str | None, as_json: bool, **options):
        if path_or_url.startswith(("http://", "https://")):
            postings, origin = self.from_url(path_or_url)
        else:
            postings, origin = self.from_file(Path(path_or_url), source)
        summary = f"{len(postings)} posting(s) found in {origin}; nothing was saved."
        if as_json:
            self.stdout.write(_dumps([p.as_json() for p in postings]))
            self.stderr.write(summary)
            return
        for number, posting in enumerate(postings, 1):
            self.stdout.write(f"Posting {number} of {len(postings)}")
            self.stdout.write(_readable(posting))
        if not postings:
            self.stdout.write("No posting found.")
        self.stdout.write(summary)

    def from_file(self, path: Path, source: str | None) -> tuple[list[Posting], str]:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        content = path.read_bytes()
        if source is None and path.suffix.lower() == ".json":
            source = "jsonld" if _looks_like_json_ld(content) else None
            if source is None:
                raise CommandError(
                    f"{path.name} is JSON but not JSON-LD: say whose API response it is with "
                    f"--source ({', '.join(sorted(boards.ADAPTERS))})."
                )
        source = source or "page"
        if source == "page":
            return extract_postings(content), f"{path.name} (page)"
        if source == "text":
            text = content.decode("utf-8", errors="replace")
            return [posting_from_text(text)], f"{path.name} (plain text)"
        if source == "jsonld":
            data = jsonld.loads(content.decode("utf-8", errors="replace"))
            if data is None:
                raise CommandError(f"{path.name} is not JSON-LD, even read leniently.")
            postings, _types = jsonld.postings_from_data([data])
            return postings, f"{path.name} (JSON-LD)"
        data = _load_json(content, path.name)
        return boards.parse(source, data), f"{path.name} ({source} API response)"

    def from_url(self, url: str) -> tuple[list[Posting], str]:
        ref = boards.board_for_url(url)
        try:
            if ref is None:
                fetched = fetch.fetch(url)
                content_type = fetched.content_type
                if fetched.charset:
                    content_type += f"; charset={fetched.charset}"
                postings = extract_postings(
                    fetched.content, url=fetched.url, content_type=content_type
                )
                return postings, "the page"
            last_error = None
            for api_url in ref.api_urls:
                try:
                    fetched = fetch.fetch(api_url)
                except fetch.FetchError as error:
                    last_error = error
                    continue
                data = _load_json(fetched.content, "the API response")
                return boards.parse(ref.source, data, ref=ref), f"the {ref.source} API"
            raise last_error or CommandError("No API address for that link.")
        except fetch.FetchError as error:
            raise CommandError(error.message) from error


def _looks_like_json_ld(content: bytes) -> bool:
    try:
        data = json.loads(content)
    except ValueError:
        return True  # let the lenient JSON-LD reader try
    items = data if isinstance(data, list) else [data]
    return any(isinstance(i, dict) and ("@type" in i or "@graph" in i) for i in items)


def _load_json(content: bytes, name: str):
    try:
        return json.loads(content)
    except ValueError as error:
        raise CommandError(f"{name} is not valid JSON: {error}") from error


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _readable(posting: Posting) -> str:
    lines = []
    for key, value in posting.as_json().items():
        if value in (None, [], ""):
            continue
        if key == "description" and len(value) > 200:
            value = value[:200] + "…"
        lines.append(f"  {key}: {value}")
    return "\n".join(lines)
