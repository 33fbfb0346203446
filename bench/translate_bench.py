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
(d) (b) on a Dask LocalCluster: ``workbench translate --workers 2``, two
    worker processes of one thread each, against (b)'s one process with two
    threads; the outputs of (b) and (d) are compared byte for byte, and each
    worker's peak memory (both directions loaded) is read from the worker.
(e) the client's SQLite cache: sentences/s committed in batches of the size
    (b) and (d) commit, one transaction each, and looked up.

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

Run (≈ 13 minutes on 2 idle cores; nothing is downloaded; (d) needs ``.[cluster]``):

    .venv/bin/python bench/translate_bench.py [--lines 150] [--vocab 32000] [--repeat 3]
        [--keep DIR] [--parts abcde] [--workers 2]

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
def peak_memory(label="VMHWM"):
    # VmHWM: this process's own high-water RSS (rusage's ru_maxrss would include
    # the benchmark process's memory, inherited across fork+exec on Linux)
    status = open("/proc/self/status").read()
    print(label, status.split("VmHWM:")[1].split()[0], file=sys.stderr)
    return int(status.split("VmHWM:")[1].split()[0])
def cpu_seconds():
    # this process's CPU time, all threads: a figure the machine's other load barely changes
    return time.process_time()
atexit.register(lambda: print("CPU", cpu_seconds(), file=sys.stderr))
atexit.register(peak_memory)
import workbench.mt.translator as mt, workbench.batch.translate as t
mt.MAX_DECODING_LENGTH = {cap}
loading = []
try:  # (d): the workers' cap, the time their models are loaded by, their peak memory
    import workbench.batch.cluster as cluster
    def capped(spec, tokens, translate_batch=cluster.translate_batch):
        import workbench.mt.translator
        workbench.mt.translator.MAX_DECODING_LENGTH = {cap}
        return translate_batch(spec, tokens)
    cluster.translate_batch = capped
    check_models = cluster.Engine.check_models
    def timed_check(self, specs):
        try:
            return check_models(self, specs)
        finally:
            loading.append(time.perf_counter() - stage_start[0])
    cluster.Engine.check_models = timed_check
    leave = cluster.Engine.__exit__
    def report_workers(self, *exc):
        if self.client is not None:
            for peak in self.client.run(peak_memory, "WORKER").values():
                print("WORKER-VMHWM", peak, file=sys.stderr)
            for cpu in self.client.run(cpu_seconds).values():
                print("WORKER-CPU", cpu, file=sys.stderr)
        return leave(self, *exc)
    cluster.Engine.__exit__ = report_workers
except ImportError:
    pass
stage_start = [0.0]
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
    started = stage_start[0] = time.perf_counter()
    try:
        return inner(*args, **kwargs)
    finally:
        stage = time.perf_counter() - started
        print(f"TRANSLATION-STAGE {{stage:.3f}} LOADING {{sum(loading):.3f}}", file=sys.stderr)
t.translate_documents = timed
from workbench.cli import cli
cli()
"""


def workbench_translate(folder: Path, workdir: Path, cap: int, env: dict, workers: int = 0) -> dict:
    """(b), or (d) with ``workers``: the real command in a subprocess: wall time,
    translation stage, max RSS (the client's; with workers, each worker's too)."""
    db = workdir / "bench.db"
    for stale in workdir.glob("bench.db*"):
        stale.unlink()
    out = workdir / ("out-d" if workers else "out-b")
    shutil.rmtree(out, ignore_errors=True)
    command = [
        sys.executable, "-c", WORKBENCH_RUNNER.format(cap=cap), "translate", str(folder),
        "-o", str(out), "--db", str(db), *(["--workers", str(workers)] if workers else []),
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
    workers_mb = [int(kb) / 1024 for kb in re.findall(r"WORKER-VMHWM (\d+)", stderr)]
    workers_cpu = [float(s) for s in re.findall(r"WORKER-CPU ([\d.]+)", stderr)]
    if workers and len(workers_mb) != workers:
        raise SystemExit(f"expected {workers} workers, found {len(workers_mb)}:\n{stderr}")
    return {
        "wall": wall,
        "stage": stage - loading,  # translating, caching: the models are loaded
        "loading": loading,
        "max_rss_mb": int(re.search(r"^VMHWM (\d+)", stderr, re.M).group(1)) / 1024,
        "worker_rss_mb": max(workers_mb, default=0.0),
        # CPU seconds spent: the client's own, and every worker's
        "cpu": float(re.search(r"^CPU ([\d.]+)", stderr, re.M).group(1)) + sum(workers_cpu),
        "summary": summary,
        "output": {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.txt")},
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


def cache_write_rate(directions, processor, workdir: Path, rows: int = 20000) -> dict:
    """(e) the client's share of the work: commit translations to the SQLite cache, look them up.

    Distinct sentences (the bench's own, numbered) are committed in batches
    of the size ``length_batches`` makes of the bench's sentences, one
    transaction each, as ``translate_cached`` and the cluster client do.
    """
    from workbench.mt.translator import (
        MAX_BATCH_TOKENS,
        length_batches,
        lookup_cached,
        store_cached,
    )
    from workbench.store.db import connect

    sentences = [s for v in directions.values() for s in v]
    lengths = [len(t) for t in processor.encode(sentences)]
    sizes = [len(b) for b in length_batches(lengths, MAX_BATCH_TOKENS, 256)]
    batch = max(1, round(sum(sizes) / len(sizes)))
    pairs = [(f"{sentences[i % len(sentences)]} #{i}", sentences[-1 - i % len(sentences)])
             for i in range(rows)]  # fmt: skip
    path = workdir / "cache-rate.db"
    for stale in workdir.glob("cache-rate.db*"):
        stale.unlink()
    db = connect(path)
    try:
        started = time.perf_counter()
        for start in range(0, rows, batch):
            part = pairs[start : start + batch]
            store_cached(db, "argos:bench:1", [s for s, _ in part], [t for _, t in part])
        write = time.perf_counter() - started
        started = time.perf_counter()
        known, missing = lookup_cached(db, "argos:bench:1", [s for s, _ in pairs])
        lookup = time.perf_counter() - started
    finally:
        db.close()
    assert len(known) == rows and not missing
    return {"batch": batch, "write": rows / write, "lookup": rows / lookup, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=150, help="FLORES lines per language")
    parser.add_argument("--vocab", type=int, default=32000, help="CTranslate2 vocabulary size")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    parser.add_argument("--parts", default="abcde", help="which of (a)…(e) to run")
    parser.add_argument("--workers", type=int, default=2, help="(d): worker processes")
    args = parser.parse_args()
    parts = set(args.parts)
    if not FLORES.is_dir():
        raise SystemExit(f"{FLORES} is missing: the benchmark reads ../shared/eval")
    if "d" in parts:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise SystemExit("(d) needs the cluster extra: pip install -e '.[cluster]'") from None

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
        runs: dict[str, list] = {part: [] for part in "abcd"}
        for _ in range(args.repeat):
            if "a" in parts:
                runs["a"].append(bare_ctranslate2(models, directions, cap, threads))
            if "b" in parts:
                runs["b"].append(workbench_translate(folder, workdir, cap, env))
            if "c" in parts:
                runs["c"].append(argos_per_sentence(directions, workdir, cap, env))
            if "d" in parts:
                runs["d"].append(workbench_translate(folder, workdir, cap, env, args.workers))
        cache = cache_write_rate(directions, processor, workdir) if "e" in parts else None
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    best = {}
    for part in "bd":
        if runs[part]:
            best[part] = dict(min(runs[part], key=lambda run: run["wall"]))
            for key in ("stage", "loading"):
                best[part][key] = min(run[key] for run in runs[part])
            for key in ("max_rss_mb", "worker_rss_mb"):
                best[part][key] = max(run[key] for run in runs[part])
            best[part]["cpu"] = min(run["cpu"] for run in runs[part])
    rate = {}
    rows = []
    if runs["a"]:
        a = min(runs["a"])
        rate["a"] = count / a
        rows.append(("(a) bare CTranslate2 translate_batch", rate["a"], a))
    for part, label in (("b", f"(b) workbench translate, {threads} threads"),
                        ("d", f"(d) ... --workers {args.workers}, 1 thread each")):  # fmt: skip
        if part in best:
            run = best[part]
            rate[part], rate[f"{part}_stage"] = count / run["wall"], count / run["stage"]
            rows.append((f"{label}, end to end", rate[part], run["wall"]))
            rows.append(
                ("    ... translating (models loaded)", rate[f"{part}_stage"], run["stage"])
            )
    if runs["c"]:
        c = min(runs["c"], key=lambda run: run["seconds"])
        rate["c"] = count / c["seconds"]
        rows.append(("(c) argostranslate per sentence", rate["c"], c["seconds"]))
    pairs = ", ".join(f"{s}→{t} {len(v)}" for (s, t), v in sorted(directions.items()))
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
        print(f"{label:48s} {per_second:8.1f} sentences/s  ({seconds:6.1f} s)")
    if runs["c"]:
        print(
            f"  (c) ran with Argos chunk type {c['chunk_type']} and its sentencizer replaced by an"
            f" identity,\n  stanza/minisbd stand-ins, intra_threads {c['intra_threads']},"
            f" compute_type {c['compute_type']}, max_decoding_length {cap} added to its engine call"
        )
    for x, y in (("b", "a"), ("b", "c"), ("d", "b"), ("d", "a")):
        if x in rate and y in rate:
            print(
                f"{x}/{y} = {rate[x] / rate[y]:.2f} end to end,"
                f" {rate[f'{x}_stage'] / rate[y if y in 'ac' else f'{y}_stage']:.2f} translating"
            )
    if "b" in best:
        b = best["b"]
        print(f"(b) loaded both models in {b['loading']:.2f} s")
        print(f"peak memory of (b), both directions loaded: {b['max_rss_mb']:.0f} MB (VmHWM)")
        print(f"(b) reported: {b['summary']}")
    for part in best:
        print(
            f"({part}) {count / best[part]['cpu']:.2f} sentences per CPU-second end to end"
            f" ({best[part]['cpu']:.1f} CPU-s, all processes): what one core gives when idle"
        )
    if "d" in best:
        d = best["d"]
        print(
            f"(d) {args.workers} workers started and loaded both models in {d['loading']:.2f} s;"
            f" peak memory per worker {d['worker_rss_mb']:.0f} MB, client {d['max_rss_mb']:.0f} MB"
        )
        print(f"(d) reported: {d['summary']}")
        if "b" in best:
            same = all(run["output"] == best["b"]["output"] for run in runs["b"] + runs["d"])
            print(f"(d) output byte-identical to (b)'s: {'yes' if same else 'NO'}")
    if cache:
        print(
            f"(e) client SQLite cache: {cache['write']:,.0f} sentences/s committed in batches of"
            f" {cache['batch']} (one transaction each), {cache['lookup']:,.0f} sentences/s looked"
            f" up ({cache['rows']} distinct sentences)"
        )
    seconds = {"a": lambda r: r, "b": lambda r: r["wall"], "c": lambda r: r["seconds"]}
    seconds["d"] = seconds["b"]
    every = "; ".join(f"{p} {fmt(map(seconds[p], runs[p]))}" for p in "abcd" if runs[p])
    print(
        f"best of {args.repeat} alternating runs; all runs (s): {every};"
        f" load average at the end {os.getloadavg()[0]:.1f}"
    )


def fmt(values) -> str:
    return " ".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    main()
