"""How close `workbench translate` comes to bare CTranslate2, and how far it leaves Argos.

One run, one model per direction, the same sentences, the same decoding
settings (int8, beam 4, length penalty 0.2, batches of 2048 tokens where the
caller batches, the same ``max_decoding_length`` cap):

(a) bare CTranslate2: sentencepiece encode, one ``translate_batch`` over all
    sentences of a direction, decode. Model loading is not timed. The limit.
(b) the real ``workbench translate`` over the articles the sentences come from,
    in a subprocess with a fresh database: whole cost (interpreter start,
    reading, cleaning, splitting, language detection, both models loaded,
    SQLite caching, writing the output) and the translating alone (models loaded).
    Peak memory is the subprocess's own high-water RSS (VmHWM).
(c) ``argostranslate.translate.translate(sentence, from, to)`` once per
    sentence, what a user would otherwise do. Models loaded before timing.

Data: the first ``--lines`` lines of each side of FLORES-200 devtest in
``../shared/eval/mt-dev`` (news-length sentences), written as ten-line
articles; the sentence list for (a) and (c) is what Workbench's cleaning and
splitting make of them, so all three translate exactly the same sentences.

The model: no real zh/en Argos package can be installed here, so the script
builds one per direction with the architecture of Argos's translate-zh_en 1.9
(an OPUS-MT Marian transformer-base: 6+6 layers, d_model 512, 8 heads, FFN
2048, post-norm, sinusoidal positions, shared vocabulary) with random weights
through ``ctranslate2.specs``, quantized to int8 as Argos ships them. The
sentencepiece model is trained on the FLORES text (the largest vocabulary that
corpus supports) and the CTranslate2 vocabulary is padded to ``--vocab``
entries so the output projection costs what a real one does. The end-of-
sentence logit is pushed down, so every hypothesis runs to the cap: outputs
have the same length in (a), (b) and (c), set from the mean source length.

How (c) runs: ``argostranslate.translate`` imports stanza and minisbd at
module level (they pull in torch and download sentence-splitting models at
first use). Neither is installable offline here, so the benchmark registers
empty stand-in modules for them and replaces the package's sentencizer with
an identity splitter (each call already is one sentence). Everything else is
Argos's own code path: ``translate`` → ``get_translation_from_codes`` →
``CachedTranslation`` → ``PackageTranslation.hypotheses`` →
``apply_packaged_translation`` (tokenize, ``translate_batch``, decode). The
only change to its engine call is the added ``max_decoding_length`` cap.
Skipping sentence splitting makes (c) faster than in real use, so b/c is a
lower bound. Argos gets the same thread count as (a) and (b).

Run (≈ 10 minutes on 2 idle cores; nothing is downloaded):

    .venv/bin/python bench/translate_bench.py [--lines 150] [--vocab 32000] [--repeat 3]
        [--keep DIR]

Each of (a), (b), (c) runs ``--repeat`` times, alternating, and the best run
of each is reported (all runs are printed too): other work on the machine
only ever slows a run down.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
FLORES = REPO.parent / "shared" / "eval" / "mt-dev" / "flores200-devtest"
SIDES = {"en": "eng_Latn.devtest", "zh": "zho_Hans.devtest"}
D_MODEL, HEADS, FFN, LAYERS = 512, 8, 2048, 6
BEAM = 4


# --------------------------------------------------------------------------- the model


def train_sentencepiece(workdir: Path) -> Path:
    """A unigram sentencepiece model on FLORES zh+en, as large as the text allows."""
    import sentencepiece as spm

    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "spm-corpus.txt"
    lines = []
    for name in SIDES.values():
        lines += (FLORES / name).read_text("utf-8").splitlines()
    corpus.write_text("\n".join(lines) + "\n", "utf-8")
    prefix = workdir / "sentencepiece"
    size = 32000
    for _ in range(3):
        try:
            spm.SentencePieceTrainer.train(
                input=str(corpus),
                model_prefix=str(prefix),
                vocab_size=size,
                character_coverage=0.9995,
                model_type="unigram",
                minloglevel=2,
            )
            return prefix.with_suffix(".model")
        except RuntimeError as error:  # "... Please set it to a value <= 10768."
            largest = re.search(r"value <= (\d+)", str(error))
            if not largest:
                raise
            size = int(largest.group(1))
    raise RuntimeError("could not train a sentencepiece model")


def build_model(spm_path: Path, out_dir: Path, vocab_size: int, seed: int) -> int:
    """A random transformer-base CTranslate2 model, int8; returns the vocabulary size."""
    import sentencepiece as spm
    from ctranslate2.specs import transformer_spec

    processor = spm.SentencePieceProcessor(model_file=str(spm_path))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = pieces + [f"<pad{i}>" for i in range(max(0, vocab_size - len(pieces)))]
    rng = np.random.default_rng(seed)

    def dense(layer, out_dim: int, in_dim: int) -> None:
        layer.weight = rng.normal(0, 0.02, (out_dim, in_dim)).astype(np.float32)
        layer.bias = np.zeros(out_dim, np.float32)

    def norm(layer) -> None:
        layer.gamma = np.ones(D_MODEL, np.float32)
        layer.beta = np.zeros(D_MODEL, np.float32)

    def ffn(layer) -> None:
        norm(layer.layer_norm)
        dense(layer.linear_0, FFN, D_MODEL)
        dense(layer.linear_1, D_MODEL, FFN)

    spec = transformer_spec.TransformerSpec.from_config(LAYERS, HEADS, pre_norm=False)
    embeddings = rng.normal(0, 0.02, (len(vocab), D_MODEL)).astype(np.float32)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        dense(layer.self_attention.linear[0], 3 * D_MODEL, D_MODEL)
        dense(layer.self_attention.linear[1], D_MODEL, D_MODEL)
        ffn(layer.ffn)
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        dense(layer.self_attention.linear[0], 3 * D_MODEL, D_MODEL)
        dense(layer.self_attention.linear[1], D_MODEL, D_MODEL)
        norm(layer.attention.layer_norm)
        dense(layer.attention.linear[0], D_MODEL, D_MODEL)
        dense(layer.attention.linear[1], 2 * D_MODEL, D_MODEL)
        dense(layer.attention.linear[2], D_MODEL, D_MODEL)
        ffn(layer.ffn)
    dense(spec.decoder.projection, len(vocab), D_MODEL)
    spec.decoder.projection.bias[vocab.index("</s>")] = -1e4  # never stop before the cap
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization="int8")
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))
    return len(vocab)


def build_packages(workdir: Path, vocab_size: int) -> tuple[dict[tuple[str, str], Path], int, int]:
    """Two .argosmodel archives (zh→en, en→zh) sharing one sentencepiece model."""
    spm_path = train_sentencepiece(workdir)
    import sentencepiece as spm

    spm_vocab = spm.SentencePieceProcessor(model_file=str(spm_path)).get_piece_size()
    archives = {}
    for seed, (source, target) in enumerate((("zh", "en"), ("en", "zh"))):
        name = f"translate-{source}_{target}-bench"
        root = workdir / "build" / name
        root.mkdir(parents=True)
        size = build_model(spm_path, root / "model", vocab_size, seed)
        shutil.copy(spm_path, root / "sentencepiece.model")
        metadata = {
            "package_version": "1.9-bench",
            "argos_version": "1.9",
            "from_code": source,
            "from_name": {"zh": "Chinese", "en": "English"}[source],
            "to_code": target,
            "to_name": {"zh": "Chinese", "en": "English"}[target],
            "type": "translate",
            "x-workbench": {"benchmark_random_model": True},
        }
        (root / "metadata.json").write_text(json.dumps(metadata), "utf-8")
        archive = workdir / f"{name}.argosmodel"
        with zipfile.ZipFile(archive, "w") as zf:
            for path in sorted(root.rglob("*")):
                zf.write(path, Path(name) / path.relative_to(root))
        archives[(source, target)] = archive
    return archives, size, spm_vocab


# --------------------------------------------------------------------------- the data


def write_articles(folder: Path, lines: int) -> None:
    """Ten-line articles, paragraphs separated by blank lines, in both languages."""
    folder.mkdir(parents=True)
    for lang, name in SIDES.items():
        text = (FLORES / name).read_text("utf-8").splitlines()[:lines]
        for start in range(0, len(text), 10):
            article = "\n\n".join(text[start : start + 10]) + "\n"
            (folder / f"{lang}{start:04d}.txt").write_text(article, "utf-8")


def sentences_of(folder: Path) -> dict[tuple[str, str], list[str]]:
    """What `workbench translate` will translate, per direction, via its own code."""
    from workbench.batch.translate import prepare
    from workbench.ingest.sources import expand, read_source

    directions: dict[tuple[str, str], list[str]] = {}
    for index, (name, relative) in enumerate(expand([str(folder)])):
        for document in read_source(name, relative, field_name=None, encoding=None).documents:
            doc = prepare(document, "auto", None, index)
            sentences = [s.source for s in doc.segments if s.translate]
            directions.setdefault((doc.source_lang, doc.target_lang), []).extend(sentences)
    return directions


# --------------------------------------------------------------------------- (a) (b) (c)


def bare_ctranslate2(models, directions, cap: int, threads: int) -> float:
    """(a) seconds for encode + one translate_batch per direction + decode."""
    import ctranslate2
    import sentencepiece as spm

    loaded = {}
    for direction, path in models.items():
        loaded[direction] = (
            ctranslate2.Translator(
                str(path / "model"), device="cpu", compute_type="default",
                inter_threads=1, intra_threads=threads,
            ),
            spm.SentencePieceProcessor(model_file=str(path / "sentencepiece.model")),
        )  # fmt: skip
    started = time.perf_counter()
    for direction, sentences in directions.items():
        engine, processor = loaded[direction]
        tokens = processor.encode(sentences, out_type=str)
        results = engine.translate_batch(
            tokens,
            beam_size=BEAM,
            max_batch_size=2048,
            batch_type="tokens",
            replace_unknowns=True,
            length_penalty=0.2,
            max_decoding_length=cap,
        )
        [processor.decode_pieces(r.hypotheses[0]) for r in results]
    return time.perf_counter() - started


WORKBENCH_RUNNER = """
import atexit, sys, time
def peak_memory():
    # VmHWM: this process's own high-water RSS (rusage's ru_maxrss would include
    # the benchmark process's memory, inherited across fork+exec on Linux)
    status = open("/proc/self/status").read()
    print("VMHWM", status.split("VmHWM:")[1].split()[0], file=sys.stderr)
atexit.register(peak_memory)
import workbench.mt.translator as mt, workbench.batch.translate as t
mt.MAX_DECODING_LENGTH = {cap}
loading = []
get_translator = mt.get_translator
def timed_load(*args):
    started = time.perf_counter()
    try:
        return get_translator(*args)
    finally:
        loading.append(time.perf_counter() - started)
mt.get_translator = timed_load
inner = t.translate_documents
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return inner(*args, **kwargs)
    finally:
        stage = time.perf_counter() - started
        print(f"TRANSLATION-STAGE {{stage:.3f}} LOADING {{sum(loading):.3f}}", file=sys.stderr)
t.translate_documents = timed
from workbench.cli import cli
cli()
"""


def workbench_translate(folder: Path, workdir: Path, cap: int, env: dict) -> dict:
    """(b) the real command in a subprocess: wall time, translation stage, max RSS."""
    db = workdir / "bench.db"
    for stale in workdir.glob("bench.db*"):
        stale.unlink()
    out = workdir / "out"
    shutil.rmtree(out, ignore_errors=True)
    command = [
        sys.executable, "-c", WORKBENCH_RUNNER.format(cap=cap), "translate", str(folder),
        "-o", str(out), "--db", str(db),
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read()
    status = process.wait()
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"workbench translate failed ({status}):\n{stderr}")
    found = re.search(r"TRANSLATION-STAGE ([\d.]+) LOADING ([\d.]+)", stderr)
    stage, loading = float(found.group(1)), float(found.group(2))
    summary = next(line for line in stderr.splitlines() if line.startswith("Translated"))
    return {
        "wall": wall,
        "stage": stage - loading,  # translating, caching: the models are loaded
        "loading": loading,
        "max_rss_mb": int(re.search(r"VMHWM (\d+)", stderr).group(1)) / 1024,
        "summary": summary,
    }


ARGOS_RUNNER = """
import json, sys, time, types
# stanza and minisbd are imported by argostranslate.sbd at module level but never
# used here (see the bench docstring): stand-ins so the import succeeds offline.
stanza = types.ModuleType("stanza")
minisbd = types.ModuleType("minisbd")
minisbd.SBDetect = None
minisbd.models = types.SimpleNamespace(cache_dir=None, list_models=lambda: ["en"])
sys.modules.update(stanza=stanza, minisbd=minisbd)
import ctranslate2
import argostranslate.translate as argos

class CappedTranslator:
    # Argos's own ctranslate2.Translator, with the benchmark's output cap added.
    def __init__(self, *args, **kwargs):
        self._engine = ctranslate2.Translator(*args, **kwargs)
    def translate_batch(self, *args, **kwargs):
        return self._engine.translate_batch(*args, max_decoding_length={cap}, **kwargs)

argos.ctranslate2 = types.SimpleNamespace(Translator=CappedTranslator)

class OneSentence:
    def split_sentences(self, text):
        return [text]

directions = json.loads(open(sys.argv[1], encoding="utf-8").read())
total = 0.0
for key, sentences in directions.items():
    source, target = key.split("-")
    translation = argos.get_translation_from_codes(source, target)
    translation.underlying.sentencizer = OneSentence()
    argos.translate(sentences[0], source, target)  # load the model before timing
    started = time.perf_counter()
    for sentence in sentences:
        argos.translate(sentence, source, target)
    total += time.perf_counter() - started
print(json.dumps({{"seconds": total, "chunk_type": str(argos.settings.chunk_type),
                  "intra_threads": argos.settings.intra_threads,
                  "compute_type": argos.settings.compute_type}}))
"""


def argos_per_sentence(directions, workdir: Path, cap: int, env: dict) -> dict:
    """(c) argostranslate.translate.translate per sentence, in its own process."""
    data = workdir / "sentences.json"
    data.write_text(
        json.dumps({f"{s}-{t}": v for (s, t), v in directions.items()}, ensure_ascii=False),
        "utf-8",
    )
    command = [sys.executable, "-c", ARGOS_RUNNER.format(cap=cap), str(data)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"argostranslate run failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=150, help="FLORES lines per language")
    parser.add_argument("--vocab", type=int, default=32000, help="CTranslate2 vocabulary size")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    args = parser.parse_args()
    if not FLORES.is_dir():
        raise SystemExit(f"{FLORES} is missing: the benchmark reads ../shared/eval")

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="workbench-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    packages = workdir / "argos-packages"
    env = {
        **os.environ,
        "ARGOS_PACKAGES_DIR": str(packages),
        "XDG_DATA_HOME": str(workdir / "data"),
        "XDG_CONFIG_HOME": str(workdir / "config"),
        "XDG_CACHE_HOME": str(workdir / "cache"),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",  # nothing may download
        "PYTHONPATH": str(REPO),
    }
    os.environ.update(env)  # before argostranslate is imported in this process
    from workbench.mt.packages import install_archive
    from workbench.mt.translator import default_threads

    threads = default_threads()
    env["ARGOS_INTRA_THREADS"] = str(threads)
    try:
        started = time.perf_counter()
        packages.mkdir(exist_ok=True)
        if not any(packages.iterdir()):
            archives, vocab, spm_vocab = build_packages(workdir / "models", args.vocab)
            for archive in archives.values():
                install_archive(archive)
        models = {
            (m["from_code"], m["to_code"]): path
            for path in packages.iterdir()
            for m in [json.loads((path / "metadata.json").read_text("utf-8"))]
        }
        build_seconds = time.perf_counter() - started
        folder = workdir / "articles"
        shutil.rmtree(folder, ignore_errors=True)
        write_articles(folder, args.lines)
        directions = sentences_of(folder)
        import sentencepiece as spm

        processor = spm.SentencePieceProcessor(
            model_file=str(next(iter(models.values())) / "sentencepiece.model")
        )
        lengths = [len(t) for v in directions.values() for t in processor.encode(v)]
        cap = round(1.2 * sum(lengths) / len(lengths))
        count = len(lengths)
        distinct = sum(len(set(v)) for v in directions.values())

        # The machine may be shared: alternate the runs and keep each one's best.
        a_runs, b_runs, c_runs = [], [], []
        for _ in range(args.repeat):
            a_runs.append(bare_ctranslate2(models, directions, cap, threads))
            b_runs.append(workbench_translate(folder, workdir, cap, env))
            c_runs.append(argos_per_sentence(directions, workdir, cap, env))
        a = min(a_runs)
        b = min(b_runs, key=lambda run: run["wall"])
        b["stage"] = min(run["stage"] for run in b_runs)
        b["loading"] = min(run["loading"] for run in b_runs)
        b["max_rss_mb"] = max(run["max_rss_mb"] for run in b_runs)
        c = min(c_runs, key=lambda run: run["seconds"])
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    rate = {"a": count / a, "b": count / b["wall"], "b_stage": count / b["stage"]}
    rate["c"] = count / c["seconds"]
    pairs = ", ".join(f"{s}→{t} {len(v)}" for (s, t), v in sorted(directions.items()))
    rows = [
        ("(a) bare CTranslate2 translate_batch", rate["a"], a),
        ("(b) workbench translate, end to end", rate["b"], b["wall"]),
        ("    ... translating (models loaded)", rate["b_stage"], b["stage"]),
        ("(c) argostranslate per sentence", rate["c"], c["seconds"]),
    ]
    print(
        "Model: random transformer-base (6+6 layers, d 512, 8 heads, FFN 2048, post-norm), int8;"
        f"\n  {processor.get_piece_size()} sentencepiece pieces padded to a {args.vocab}-entry"
        f" vocabulary; one model per direction (built in {build_seconds:.0f} s)"
    )
    print(
        f"Data: {count} sentences ({distinct} distinct; {pairs}) from {args.lines} FLORES"
        f" devtest lines per language;\n  mean source length {sum(lengths) / count:.1f} pieces,"
        f" output capped at {cap} pieces, beam {BEAM}, {threads} threads on {os.cpu_count()} CPUs"
    )
    for label, per_second, seconds in rows:
        print(f"{label:40s} {per_second:8.1f} sentences/s  ({seconds:6.1f} s)")
    print(
        f"  (c) ran with Argos chunk type {c['chunk_type']} and its sentencizer replaced by an"
        f" identity,\n  stanza/minisbd stand-ins, intra_threads {c['intra_threads']},"
        f" compute_type {c['compute_type']}, max_decoding_length {cap} added to its engine call"
    )
    print(
        f"b/a = {rate['b'] / rate['a']:.2f} end to end, {rate['b_stage'] / rate['a']:.2f}"
        " translating"
    )
    print(
        f"b/c = {rate['b'] / rate['c']:.1f} end to end, {rate['b_stage'] / rate['c']:.1f}"
        " translating"
    )
    print(f"(b) loaded both models in {b['loading']:.2f} s")
    print(f"peak memory of (b), both directions loaded: {b['max_rss_mb']:.0f} MB (peak RSS, VmHWM)")
    print(f"(b) reported: {b['summary']}")
    print(
        f"best of {args.repeat} alternating runs; all runs (s): a {fmt(a_runs)};"
        f" b {fmt(r['wall'] for r in b_runs)}; c {fmt(r['seconds'] for r in c_runs)};"
        f" (b) peak RSS (MB) {fmt(r['max_rss_mb'] for r in b_runs)};"
        f" load average at the end {os.getloadavg()[0]:.1f}"
    )


def fmt(values) -> str:
    return " ".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    main()
