"""``workbench translate``: push whole corpora through the MT at engine speed.

Pipeline: read every input (``sources``), clean and split each document with
``aligner`` and detect its language, then translate *all* sentences of a
direction in one pass (``mt.translate_cached``: deduplicated, sorted by length
over the whole corpus, batched by tokens, one loaded model per direction,
each batch committed to the SQLite cache as it is produced), and finally write
the outputs (``outputs``), atomically.

Because the cache is filled batch by batch and outputs are written only at the
end, a run killed at any moment (Ctrl-C, ``kill -9``) and started again
translates only what is missing and writes the same bytes an uninterrupted
run would have.

A document already in the target language (``--to en`` given an English
article) is reported and skipped: it is not translated, so it counts as a
failure for the exit status (0 means every input was translated).
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click

from workbench import db as storage
from workbench import outputs
from workbench.cli_options import EXIT_INPUT, EXIT_MODEL, db_option, encoding_option
from workbench.sources import STDIN, Document, Failure, Source, expand, is_jsonl, read_source

OTHER_LANGUAGE = {"zh": "en", "en": "zh"}
LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


@dataclass
class Run:
    """Everything one invocation read, translated and failed at."""

    sources: list[Source] = field(default_factory=list)
    translated: dict[int, outputs.TranslatedDocument] = field(default_factory=dict)  # id(Document)
    failures: list[Failure] = field(default_factory=list)
    sentences: int = 0
    from_cache: int = 0

    @property
    def documents(self) -> list[outputs.TranslatedDocument]:
        return list(self.translated.values())


def prepare(doc: Document, source_lang: str, target_lang: str | None, index: int):
    """Clean and split one document; a Failure when it cannot or need not be translated."""
    from aligner import clean_article, split_sentences

    try:
        article = clean_article(doc.text)
    except ValueError as error:
        return Failure(doc.name, str(error))
    lang = article.language if source_lang == "auto" else source_lang
    target = target_lang or OTHER_LANGUAGE[lang]
    if lang == target:
        return Failure(
            doc.name,
            f"already in {LANGUAGE_NAMES[lang]} (the target language); skipped"
            " (pass --from to override the detected language)",
        )
    segments: list[outputs.Segment] = []
    for block in article.blocks:
        if block.kind == "furniture":
            segments.append(outputs.Segment(block.text, block.paragraph, translate=False))
            continue
        for sentence in split_sentences(block.text, lang):
            segments.append(outputs.Segment(sentence, block.paragraph))
    if not any(s.translate for s in segments):
        return Failure(doc.name, "no article text found, only page furniture")
    return outputs.TranslatedDocument(
        document=doc,
        source_lang=lang,
        target_lang=target,
        segments=segments,
        blank_line_paragraphs="\n\n" in doc.text.strip(),
        index=index,
    )


class Progress:
    """Sentences per second and ETA on a terminal; silent when piped or --quiet."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.done = 0
        self.fresh = 0
        self.started = time.monotonic()
        self.bar = None
        if enabled and total:
            self.bar = click.progressbar(
                length=total,
                label="Translating",
                file=sys.stderr,
                show_eta=True,
                show_pos=True,
                item_show_func=lambda rate: rate,
            )
            self.bar.__enter__()

    def cached(self, count: int) -> None:
        self.done += count
        if self.bar:
            self.bar.update(count)

    def translated(self, count: int) -> None:
        self.done += count
        self.fresh += count
        if self.bar:
            elapsed = max(time.monotonic() - self.started, 1e-6)
            self.bar.update(count, f"{self.fresh / elapsed:.1f} sentences/s")

    def close(self) -> None:
        if self.bar:
            self.bar.__exit__(None, None, None)


def translate_documents(db, run: Run, progress_enabled: bool) -> None:
    """Translate every prepared document, one pass per direction."""
    from workbench.mt import get_translator, translate_cached

    directions: dict[tuple[str, str], list[outputs.TranslatedDocument]] = {}
    for doc in run.documents:
        directions.setdefault((doc.source_lang, doc.target_lang), []).append(doc)
    # Find every model before translating anything: a missing one stops the run at once.
    translators = {direction: get_translator(*direction) for direction in sorted(directions)}
    work = {
        direction: [s for d in docs for s in d.segments if s.translate]
        for direction, docs in directions.items()
    }
    total = sum(len({s.source for s in segments}) for segments in work.values())
    run.sentences = sum(len(segments) for segments in work.values())
    progress = Progress(total, progress_enabled)
    try:
        for direction, segments in sorted(work.items()):
            results = translate_cached(
                db,
                translators[direction],
                [s.source for s in segments],
                progress.translated,
                cached=progress.cached,
            )
            for segment, target in zip(segments, results, strict=True):
                segment.target = target
    finally:
        progress.close()
    run.from_cache = progress.done - progress.fresh


def write_outputs(
    run: Run, fmt: str, output: str | None, single: bool, field_name: str | None, keep: bool
) -> list[str]:
    """Write every output atomically; returns the paths written ("-" for stdout)."""
    written: list[str] = []
    docs = run.documents
    if fmt in outputs.CORPUS:
        if not docs:
            return written
        if output:
            outputs.write_file(Path(output), outputs.write_corpus, fmt, docs)
        else:
            outputs.write_corpus(sys.stdout.buffer, fmt, docs)
        return [output or "-"]

    # Per-document formats: one output per document (per JSONL file for text).
    jobs: list[tuple[outputs.TranslatedDocument, object, tuple]] = []
    for source in run.sources:
        if source.jsonl and fmt == "txt":
            translated = [run.translated.get(id(d)) if d else None for _, d in source.records]
            if not any(translated):
                continue
            records = [
                record if doc is None else outputs.translated_record(doc, field_name or "", keep)
                for (record, _), doc in zip(source.records, translated, strict=True)
            ]
            first = next(doc for doc in translated if doc)
            jobs.append((first, outputs.write_records, (records,)))
            continue
        for document in source.documents:
            doc = run.translated.get(id(document))
            if doc is None:
                continue
            if fmt == "txt":
                jobs.append((doc, outputs.write_text, ([doc], keep)))
            else:
                jobs.append((doc, outputs.write_xliff_document, (doc,)))
    if single:
        for _, writer, args in jobs:
            if output:
                outputs.write_file(Path(output), writer, *args)
            else:
                writer(sys.stdout.buffer, *args)
                sys.stdout.buffer.flush()
            written.append(output or "-")
        return written
    names = Counter(outputs.output_name(doc, fmt) for doc, _, _ in jobs)
    for doc, writer, args in jobs:
        name = outputs.output_name(doc, fmt)
        if names[name] > 1:  # report.md and report.txt: keep the suffixes apart
            name = outputs.output_name(doc, fmt, full=True)
        path = Path(output or ".") / Path(*name.parts)
        outputs.write_file(path, writer, *args)
        written.append(str(path))
    return written


def summary(run: Run, seconds: float, written: list[str], quiet: bool) -> None:
    """What was done, then every failure grouped by input file, on stderr."""
    if not quiet:
        rate = run.sentences / seconds if seconds else 0.0
        click.echo(
            f"Translated {len(run.translated)} document(s), {run.sentences} sentences"
            f" ({run.from_cache} distinct from the cache) in {seconds:.1f} s"
            f" ({rate:.1f} sentences/s)",
            err=True,
        )
        files = [path for path in written if path != "-"]
        if len(files) > 3:
            click.echo(f"Wrote {len(files)} files in {os.path.commonpath(files)}", err=True)
        else:
            for path in files:
                click.echo(f"Wrote {path}", err=True)
    if not run.failures:
        return
    by_file: dict[str, list[Failure]] = {}
    for failure in run.failures:
        name = failure.name.rsplit(":", 1)[0] if _is_record(failure) else failure.name
        by_file.setdefault(name, []).append(failure)
    click.secho(f"{len(run.failures)} input(s) not translated:", fg="yellow", err=True)
    for name, failures in by_file.items():
        if len(failures) == 1:
            click.echo(f"  {failures[0].name}: {failures[0].reason}", err=True)
        else:
            click.echo(f"  {name}: {len(failures)} records", err=True)
            for failure in failures:
                click.echo(f"    {failure.name}: {failure.reason}", err=True)


def _is_record(failure: Failure) -> bool:
    head, _, tail = failure.name.rpartition(":")
    return bool(head) and tail.isdigit()


@click.command("translate")
@click.argument("inputs", nargs=-1, required=True, metavar="[FILE|DIR|-]...")
@click.option(
    "--from",
    "source_lang",
    type=click.Choice(["auto", "zh", "en"]),
    default="auto",
    show_default=True,
    help="Source language; auto detects it per document.",
)
@click.option(
    "--to",
    "target_lang",
    type=click.Choice(["zh", "en"]),
    help="Target language [default: the other one]. Documents already in it are skipped.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(outputs.FORMATS),
    default="txt",
    show_default=True,
    help="txt: the translation in the source's paragraphs; jsonl/tsv/tmx: sentence pairs"
    " of all inputs in one file; xliff: one XLIFF 1.2 file per document.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Output file, or a directory for txt/xliff with several documents"
    " [default: standard output].",
)
@click.option(
    "--field",
    "field_name",
    help="JSONL inputs: the field holding the text; --format txt writes the records back"
    " with the translation added as FIELD_<target language>.",
)
@encoding_option
@click.option(
    "--keep-furniture",
    is_flag=True,
    help="txt: keep bylines, share buttons … untranslated where they stood (default: left out).",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress bar and no summary (failures still)."
)
@db_option
def translate_command(
    inputs: tuple[str, ...],
    source_lang: str,
    target_lang: str | None,
    fmt: str,
    output: str | None,
    field_name: str | None,
    encoding: str | None,
    keep_furniture: bool,
    quiet: bool,
    db_path: str,
) -> None:
    """Machine-translate FILEs, DIRectories or standard input (-) in one batch.

    Reads .txt, .md, .html, .docx, and .jsonl with --field; directories are
    searched recursively. Each document is cleaned, split into sentences and
    its language detected; every sentence is translated once and cached in the
    database, so an interrupted run started again continues where it stopped.
    Unreadable, empty, binary or wrongly encoded inputs are reported and
    skipped. Exit status: 0 every input translated, 1 some were not, 2 usage
    error, 3 a translation model is missing.

    \b
    Examples:
      workbench translate article.txt                    # to standard output
      workbench translate articles/ -o translated/       # one .en.txt / .zh.txt each
      workbench translate articles/ --format tmx -o corpus.tmx
      workbench translate corpus.jsonl --field text --to en -o out.jsonl
    """
    if source_lang != "auto" and source_lang == target_lang:
        raise click.UsageError(f"--from and --to are both {source_lang}")
    if STDIN in inputs and inputs.count(STDIN) > 1:
        raise click.UsageError("standard input (-) can be read only once")
    started = time.monotonic()
    arguments = list(expand(inputs))
    single = (
        len(inputs) == 1
        and len(arguments) == 1
        and not Path(inputs[0]).is_dir()
        and not (output and Path(output).is_dir())
    )
    if not arguments:
        raise click.UsageError(
            "no input files found (directories are searched for .txt .md .html .docx .jsonl)"
        )
    first = arguments[0][0]
    if single and fmt == "xliff" and (is_jsonl(first) or (first == STDIN and field_name)):
        single = False  # one XLIFF file per JSONL record
    if fmt in outputs.PER_DOCUMENT and not single and not output:
        raise click.UsageError(
            f"several documents in --format {fmt} need -o DIR (one output file each)"
        )
    if output and fmt in outputs.CORPUS and Path(output).is_dir():
        raise click.UsageError(f"--format {fmt} writes one file; -o {output} is a directory")

    run = Run()
    for name, relative in arguments:
        source = read_source(name, relative, field_name=field_name, encoding=encoding)
        run.sources.append(source)
        run.failures.extend(source.failures)

    index = 0
    for source in run.sources:
        for document in source.documents:
            prepared = prepare(document, source_lang, target_lang, index)
            if isinstance(prepared, Failure):
                run.failures.append(prepared)
            else:
                run.translated[id(document)] = prepared
                index += 1

    from workbench.mt import ModelNotInstalledError

    show = not quiet and sys.stderr.isatty()
    db = storage.connect(db_path)
    try:
        translate_documents(db, run, show)
    except ModelNotInstalledError as error:
        click.secho(f"Error: {error}", fg="red", err=True)
        sys.exit(EXIT_MODEL)
    except KeyboardInterrupt:
        click.secho(
            "Interrupted: the translations so far are cached; run the same command again"
            " to continue where it stopped.",
            fg="yellow",
            err=True,
        )
        sys.exit(130)
    finally:
        db.close()
    written = write_outputs(run, fmt, output, single, field_name, keep_furniture)
    summary(run, time.monotonic() - started, written, quiet)
    if run.failures:
        sys.exit(EXIT_INPUT)
