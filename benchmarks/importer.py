"""The job importer: how fast postings are extracted from pages, against a bare baseline.

Run: .venv/bin/python benchmarks/importer.py [rounds] [--extraction-only]

1. Extraction: `extract_postings` over the accuracy corpus's pages (each JSON-LD example
   wrapped in a minimal HTML page, the microdata and RDFa pages, the malformed pages), against a
   baseline that only locates the JSON-LD script tags and runs `json.loads` on them. Both run in
   the same process, in alternating batches timed in CPU time; the fastest batch of each side
   is compared (medians shown too). The ratio is baseline time / extractor time, i.e. the
   extractor's throughput as a share of the baseline's. Goal: at least 0.5. Shown for all
   pages, and per kind of page, since the microdata and RDFa pages cost the baseline nothing
   (it finds no script there) while the extractor parses their markup.
2. Link import: see `link_import()`, which runs benchmarks/importer_link.py.

The corpus is read from ../shared/jobposting-corpus (beside the project); without it the
extraction part is skipped.
"""

import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _setup import django_setup  # noqa: E402

django_setup()

from importer.extract import extract_postings  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "jobposting-corpus"
BATCH = 5
SCRIPT = re.compile(
    r"<script[^>]*type=[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S
)


def corpus_pages() -> dict[str, list[bytes]]:
    """Pages by kind, as bytes, the way a fetch hands them over."""
    kinds: dict[str, list[bytes]] = {"jsonld": [], "microdata": [], "rdfa": [], "malformed": []}
    for path in sorted((CORPUS / "jsonld").glob("*.json")):
        block = path.read_bytes()
        kinds["jsonld"].append(
            b"<!DOCTYPE html><html><head><title>Job</title>"
            b'<script type="application/ld+json">' + block + b"</script></head><body></body></html>"
        )
    for path in sorted((CORPUS / "jsonld").glob("*.html")):
        kind = "rdfa" if path.name.endswith(".rdfa.html") else "microdata"
        kinds[kind].append(path.read_bytes())
    kinds["malformed"] = [p.read_bytes() for p in sorted((CORPUS / "malformed").glob("*.html"))]
    return kinds


def baseline(page: bytes) -> list:
    found = []
    for block in SCRIPT.findall(page.decode("utf-8", "replace")):
        try:  # noqa: SIM105 - the cheapest form, for a fair baseline
            found.append(json.loads(block))
        except ValueError:
            pass
    return found


def extractor(page: bytes) -> list:
    return extract_postings(page, content_type="text/html; charset=utf-8")


def time_batch(run, pages: list[bytes]) -> float:
    # CPU time of this process: on a shared, busy machine it is far steadier than wall time,
    # and extraction does no I/O.
    start = time.process_time()
    for _ in range(BATCH):
        for page in pages:
            run(page)
    return (time.process_time() - start) / BATCH


def compare(name: str, pages: list[bytes], rounds: int) -> float:
    sides = {"baseline": baseline, "extractor": extractor}
    for run in sides.values():  # warm up imports and caches
        time_batch(run, pages)
    times: dict[str, list[float]] = {side: [] for side in sides}
    for i in range(rounds):
        order = list(sides) if i % 2 else list(reversed(sides))
        for side in order:
            times[side].append(time_batch(sides[side], pages))
    best = {side: min(values) for side, values in times.items()}
    median = {side: statistics.median(values) for side, values in times.items()}
    ratio = best["baseline"] / best["extractor"]
    print(
        f"  {name:<10} {len(pages):>3} pages  baseline {best['baseline'] * 1e3:8.3f} ms"
        f" (median {median['baseline'] * 1e3:.3f})  extractor {best['extractor'] * 1e3:8.3f} ms"
        f" (median {median['extractor'] * 1e3:.3f})  ratio {ratio:.3f}"
    )
    return ratio


def extraction(rounds: int) -> None:
    if not CORPUS.is_dir():
        print("extraction: skipped, no corpus beside the project")
        return
    kinds = corpus_pages()
    found = sum(len(extractor(page)) for pages in kinds.values() for page in pages)
    print(f"Extraction ({found} postings from {sum(map(len, kinds.values()))} pages), per round:")
    for name, pages in kinds.items():
        compare(name, pages, rounds)
    ratio = compare("all", [page for pages in kinds.values() for page in pages], rounds)
    print(f"Extraction throughput ratio (all pages): {ratio:.3f}  (goal >= 0.5)")
    print("For scale, not the goal's measure: the JSON-LD examples inside a page of ~100 KB")
    compare("jsonld+100k", [with_page_weight(page) for page in kinds["jsonld"]], rounds)


# Ordinary markup and scripts, as a careers page carries around its posting.
FILLER = (
    b'<div class="row"><a href="/jobs?page=2">Next</a><p>Lorem ipsum dolor sit amet, '
    b"consectetur adipiscing elit, sed do eiusmod tempor.</p></div>\n"
    b"<script>window.dataLayer = window.dataLayer || []; dataLayer.push({e: 1});</script>\n"
)


def with_page_weight(page: bytes, size: int = 100_000) -> bytes:
    return page.replace(b"<body>", b"<body>" + FILLER * (size // len(FILLER)), 1)


def link_import() -> None:
    """Link import from a loopback server: the time from the fetch finishing to the preview
    being ready, on Redis and on the embedded broker. It needs a real worker and a database of
    its own, so it is a script of its own, run from here."""
    script = Path(__file__).resolve().parent / "importer_link.py"
    if not script.is_file():
        print("Link import: benchmarks/importer_link.py is not there")
        return
    print("Link import (benchmarks/importer_link.py):", flush=True)
    subprocess.run([sys.executable, str(script)], check=False)


def main() -> None:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    rounds = int(args[0]) if args else 15
    extraction(rounds)
    if "--extraction-only" not in sys.argv:
        link_import()


if __name__ == "__main__":
    main()
