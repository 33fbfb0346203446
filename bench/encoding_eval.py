"""How often encoding detection is right, wrong or refuses, by text length.

Encodes FLORES-200 devtest sentences (../shared/eval/mt-dev, never copied into the
repository) as GBK (Simplified), Big5 (Traditional) and UTF-16 LE/BE without a BOM
(both), then asks ``workbench.ingest.encodings.detect`` about the whole sentence and
about its first 40, 20 and 10 bytes. A refusal is the intended answer when the
evidence is too thin; a wrong answer is the failure that matters. Then the same
sentences' script: how many of the Traditional (zho_Hant) and Simplified (zho_Hans)
ones ``workbench.ingest.script.is_traditional`` calls Traditional.

    .venv/bin/python bench/encoding_eval.py [--eval-dir DIR] [--lines N]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.ingest.encodings import EncodingUnknown, detect  # noqa: E402
from workbench.ingest.script import is_traditional  # noqa: E402

CASES = (  # (codec, FLORES file, names counted as right)
    ("gbk", "zho_Hans", ("gb18030",)),
    ("big5", "zho_Hant", ("big5", "cp950", "big5hkscs")),
    ("utf-16-le", "zho_Hans", ("utf-16-le",)),
    ("utf-16-be", "zho_Hant", ("utf-16-be",)),
)
LENGTHS = (None, 40, 20, 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "eval"
    parser.add_argument("--eval-dir", type=Path, default=default)
    parser.add_argument("--lines", type=int, default=1012)
    args = parser.parse_args()
    folder = args.eval_dir / "mt-dev" / "flores200-devtest"
    print(f"{'encoding':<10} {'bytes':>6} {'right':>6} {'wrong':>6} {'refused':>8}")
    for codec, stem, right in CASES:
        lines = (folder / f"{stem}.devtest").read_text("utf-8").splitlines()[: args.lines]
        for length in LENGTHS:
            counts: collections.Counter[str] = collections.Counter()
            for line in lines:
                data = line.encode(codec, "ignore")
                data = data if length is None else data[:length]
                try:
                    found = detect(data).encoding
                except EncodingUnknown:
                    counts["refused"] += 1
                    continue
                if data.isascii() and found == "utf-8":
                    counts["right"] += 1  # the cut left only ASCII: UTF-8 is right too
                else:
                    counts["right" if found in right else "wrong"] += 1
            print(
                f"{codec:<10} {length or 'all':>6} {counts['right']:>6} {counts['wrong']:>6}"
                f" {counts['refused']:>8}"
            )

    print(f"\n{'script':<10} {'sentences':>9} {'called Traditional':>19}")
    for stem in ("zho_Hant", "zho_Hans"):
        lines = (folder / f"{stem}.devtest").read_text("utf-8").splitlines()[: args.lines]
        print(f"{stem:<10} {len(lines):>9} {sum(map(is_traditional, lines)):>19}")


if __name__ == "__main__":
    main()
