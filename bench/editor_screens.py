"""Screenshots of the editor as a new user first sees it, and how many segments they show.

    .venv/bin/python bench/editor_screens.py [--label after] [--out docs/screenshots]
    .venv/bin/python bench/editor_screens.py --tree /work/wt-ed-before --label before

Does what ``make demo`` does, with the code of ``--tree`` (this checkout by default,
or another checkout's, e.g. a commit before a change, run with this venv through
PYTHONPATH): ``workbench demo --no-serve`` imports and translates the seeds into a
fresh database (Argos packages in a private temporary directory, so the tiny test
models are used and nothing of the user's is touched), ``workbench users add`` makes
a reviewer, ``workbench serve`` serves it. Debian's Chromium (Playwright) logs in and
opens document ``--document`` (3: the article with 18 sentences and 22 lines of page
furniture) at two sizes:

* 1366×768 (``editor-LABEL-1366x768.png``);
* 1280×720 with the browser's zoom at 125 %: a 1024×576 CSS-pixel viewport at device
  scale factor 1.25 (``editor-LABEL-1280x720-125.png``).

For each it prints the editable segment rows (``tr.seg``) fully inside the viewport,
and those only partly inside, as the issue counts them. Nothing is timed. The PNGs
are cut to 256 colours (the most frequent, every other pixel to its nearest), a
"JPEG-quality PNG" a third of the size, unless ``--full-colour``.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ui_load import REPO, SERVE, serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
USER, PASSWORD = "rita", "reviewer-pass"
SIZES = {
    "1366x768": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
    "1280x720-125": {"viewport": {"width": 1024, "height": 576}, "device_scale_factor": 1.25},
}
#: Segment rows (editable: a target box) wholly and partly inside the viewport.
VISIBLE_ROWS = """() => {
  const rows = [...document.querySelectorAll('tr.seg')].filter((r) => r.querySelector('textarea'));
  const boxes = rows.map((r) => r.getBoundingClientRect());
  const inside = boxes.filter((b) => b.top >= 0 && b.bottom <= window.innerHeight).length;
  const partly = boxes.filter((b) => b.bottom > 0 && b.top < window.innerHeight).length - inside;
  return {full: inside, partial: partly, rows: rows.length};
}"""


def read_png(data: bytes) -> np.ndarray:
    """The pixels (height × width × 3) of an 8-bit RGB(A) PNG, as Chromium writes them."""
    chunks, pos = {}, 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunks.setdefault(kind, []).append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError("not an 8-bit, non-interlaced RGB or RGBA PNG")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = width * bpp
    rows = np.zeros((height, stride), np.uint8)
    prior = np.zeros(stride, np.int32)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = np.frombuffer(raw, np.uint8, stride, start + 1).astype(np.int32)
        if kind == 0:
            current = line
        elif kind == 1:  # Sub: a running sum along the row, per channel
            current = line.reshape(-1, bpp).cumsum(axis=0).reshape(-1) & 255
        elif kind == 2:  # Up
            current = (line + prior) & 255
        else:  # Average, Paeth: each byte needs the one just decoded
            current = _unfilter(kind, line.tolist(), prior.tolist(), bpp)
        rows[y] = current
        prior = np.asarray(current, np.int32)
    return rows.reshape(height, width, bpp)[..., :3]


def _unfilter(kind: int, line: list[int], up: list[int], bpp: int) -> np.ndarray:
    out = [0] * len(line)
    for i, value in enumerate(line):
        left = out[i - bpp] if i >= bpp else 0
        corner = up[i - bpp] if i >= bpp else 0
        if kind == 3:
            out[i] = (value + (left + up[i]) // 2) & 255
            continue
        p = left + up[i] - corner
        pa, pb, pc = abs(p - left), abs(p - up[i]), abs(p - corner)
        guess = left if pa <= pb and pa <= pc else up[i] if pb <= pc else corner
        out[i] = (value + guess) & 255
    return np.asarray(out, np.int32)


def write_palette_png(path: Path, pixels: np.ndarray, colours: int = 256) -> None:
    """``pixels`` as an indexed PNG: the ``colours`` most frequent colours, every other
    colour replaced by its nearest among them."""
    height, width, _ = pixels.shape
    found, inverse, counts = np.unique(
        pixels.reshape(-1, 3), axis=0, return_inverse=True, return_counts=True
    )
    palette = found[np.argsort(-counts, kind="stable")[:colours]].astype(np.int32)
    nearest = np.empty(len(found), np.uint8)
    for start in range(0, len(found), 4096):  # colour × palette distances, a block at a time
        part = found[start : start + 4096].astype(np.int32)
        distance = ((part[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
        nearest[start : start + 4096] = distance.argmin(axis=1)
    index = nearest[inverse.reshape(-1)].reshape(height, width)
    scanlines = b"".join(b"\0" + row.tobytes() for row in index)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
        + chunk(b"PLTE", palette.astype(np.uint8).tobytes())
        + chunk(b"IDAT", zlib.compress(scanlines, 9))
        + chunk(b"IEND", b"")
    )


def workbench(tree: Path, env: dict, *args: str) -> None:
    """Run ``workbench ARGS`` with the code of ``tree``; stop on failure."""
    done = subprocess.run(
        [sys.executable, "-c", SERVE, *args],
        cwd=tree,
        env={**env, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"workbench {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def shoot(base: str, document: int, out: Path, label: str, full: bool) -> dict[str, dict]:
    """Open the document at each size, save a screenshot, count the rows in view."""
    from playwright.sync_api import sync_playwright

    counts = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for size, options in SIZES.items():
                context = browser.new_context(**options)
                page = context.new_page()
                page.goto(f"{base}/login")
                page.get_by_label("Name").fill(USER)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url(f"{base}/")
                page.goto(f"{base}/documents/{document}", wait_until="networkidle")
                page.wait_for_selector("tr.seg")
                page.evaluate("document.fonts.ready")
                counts[size] = page.evaluate(VISIBLE_ROWS)
                path = out / f"editor-{label}-{size}.png"
                if full:
                    page.screenshot(path=str(path))
                else:
                    write_palette_png(path, read_png(page.screenshot()))
                counts[size]["screenshot"] = str(path)
                context.close()
        finally:
            browser.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=REPO, help="checkout whose code runs")
    parser.add_argument("--label", default="after", help="in the file names")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--document", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--full-colour", action="store_true", help="PNGs as Chromium took them")
    args = parser.parse_args()
    tree = args.tree.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="workbench-screens-") as tmp:
        home = Path(tmp)
        env = {
            **os.environ,
            "ARGOS_PACKAGES_DIR": str(home / "argos" / "packages"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",  # never download anything
        }
        env.pop("WORKBENCH_EXTRA_PACKAGES", None)
        db = home / "workbench.db"
        workbench(tree, env, "demo", "--no-serve", "--db", str(db))
        workbench(tree, env, "users", "add", USER, "--role", "reviewer", "--password", PASSWORD,
                  "--db", str(db))  # fmt: skip
        with serving(db, tree=tree, env=env) as port:
            base = f"http://127.0.0.1:{port}"
            counts = shoot(base, args.document, args.out, args.label, args.full_colour)
    if args.json:
        print(json.dumps(counts, indent=2))
        return
    for size, found in counts.items():
        print(
            f"{args.label} {size}: {found['full']} segment rows fully visible,"
            f" {found['partial']} partly (of {found['rows']} on the page) → {found['screenshot']}"
        )


if __name__ == "__main__":
    main()
