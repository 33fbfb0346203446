"""`workbench translate`: the batch translation command (the pipeline is ``workbench.batch``)."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path, PurePosixPath

import click

from workbench.batch import outputs
from workbench.batch.translate import Run, prepare, translate_documents, write_outputs
from workbench.cli.options import EXIT_INPUT, EXIT_MODEL, db_option, encoding_option, fail
from workbench.ingest.sources import STDIN, Failure, expand, is_jsonl, read_source
from workbench.store import db as storage


def summary(run: Run, seconds: float, written: list[str], quiet: bool) -> None:
    """What was done, then every failure grouped by input file, on stderr."""
    if not quiet:
        for source in run.sources:  # once per file, not per JSONL record
            if source.detection and source.detection.encoding != "utf-8":
                click.echo(f"Read {source.name} as {source.detection.describe()}", err=True)
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
    tiny = sorted({d.mt_model for d in run.documents if d.mt_tiny})
    if tiny and not quiet:  # -q: the files written still say so
        click.secho(
            f"Warning: translated by a tiny test model ({', '.join(tiny)}), not a real"
            " translation model: the output is not meaningful (the files written say so)."
            " Install a real one: `workbench models install translate-zh_en` (or en_zh).",
            fg="yellow",
            err=True,
        )
    skipped = [f for f in run.failures if f.skipped]
    if skipped:
        click.echo(f"{len(skipped)} input(s) skipped, nothing to translate:", err=True)
        for failure in skipped:
            click.echo(f"  {failure.name}: {failure.reason}", err=True)
    failed = [f for f in run.failures if not f.skipped]
    if not failed:
        return
    by_file: dict[str, list[Failure]] = {}
    for failure in failed:
        name = failure.name.rsplit(":", 1)[0] if _is_record(failure) else failure.name
        by_file.setdefault(name, []).append(failure)
    click.secho(f"{len(failed)} input(s) not translated:", fg="yellow", err=True)
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
@click.option(
    "--strict",
    is_flag=True,
    help="Also fail (exit 1) when an input is skipped as already in the target language.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Translate on N worker processes of this machine, one thread each (a local Dask"
    " cluster; needs workbench[cluster]).",
)
@click.option(
    "--cluster",
    "cluster_address",
    metavar="tcp://HOST:8786",
    help="Translate on the workers of this Dask scheduler (needs workbench[cluster]; every"
    " worker needs the same models, see README).",
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
    strict: bool,
    workers: int | None,
    cluster_address: str | None,
    db_path: str,
) -> None:
    """Machine-translate FILEs, DIRectories or standard input (-) in one batch.

    Reads .txt, .md, .html, .docx, and .jsonl with --field; directories are
    searched recursively. Each document is cleaned, split into sentences and
    its language detected; every sentence is translated once and cached in the
    database, so an interrupted run started again continues where it stopped.
    Unreadable, empty, binary or wrongly encoded inputs are reported and
    skipped; so are documents already in the target language, which are not
    a failure (unless --strict). Exit status: 0 every input translated or
    skipped as already translated, 1 some could not be translated, 2 usage
    error, 3 a translation model is missing (or, with --cluster/--workers: Dask
    is not installed, the scheduler cannot be reached within 10 s, a worker
    lacks the model).

    \b
    Examples:
      workbench translate article.txt                    # to standard output
      workbench translate articles/ -o translated/       # one .en.txt / .zh.txt each
      workbench translate articles/ --format tmx -o corpus.tmx
      workbench translate corpus.jsonl --field text --to en -o out.jsonl
      workbench translate articles/ --format tmx -o corpus.tmx --workers 2
      workbench translate articles/ --format tmx -o corpus.tmx --cluster tcp://10.0.0.5:8786
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
    if workers and cluster_address:
        raise click.UsageError("--workers starts a local cluster; --cluster uses another: not both")
    with contextlib.ExitStack() as stack:
        engine = None
        if workers or cluster_address:
            from workbench.batch.cluster import ClusterError, Engine

            try:
                engine = stack.enter_context(Engine(cluster_address, workers))
            except ClusterError as error:
                fail(str(error), EXIT_MODEL)
        run = translate_inputs(
            arguments, source_lang, target_lang, field_name, encoding, quiet, db_path, engine
        )
    written = write_outputs(run, fmt, output, single, field_name, keep_furniture)
    summary(run, time.monotonic() - started, written, quiet)
    if any(strict or not failure.skipped for failure in run.failures):
        sys.exit(EXIT_INPUT)


def translate_inputs(
    arguments: list[tuple[str, PurePosixPath]],
    source_lang: str,
    target_lang: str | None,
    field_name: str | None,
    encoding: str | None,
    quiet: bool,
    db_path: str,
    engine,
) -> Run:
    """Read, prepare and translate every input; exits with the status on a missing engine."""
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

    from workbench.batch.cluster import ClusterError
    from workbench.mt.translator import ModelNotInstalledError

    show = not quiet and sys.stderr.isatty()
    db = storage.connect(db_path)
    try:
        translate_documents(db, run, show, engine)
    except (ModelNotInstalledError, ClusterError) as error:
        fail(str(error), EXIT_MODEL)
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
    return run
