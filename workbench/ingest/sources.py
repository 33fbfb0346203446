"""Find and read the documents a batch translation was given.

Arguments are files, directories (searched recursively for the formats we
read) or ``-`` for standard input. A JSONL file holds one document per line, in
the field named by ``--field``. Anything unreadable becomes a ``Failure`` with
a message for the user; the rest is read regardless.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from aligner import Article
from workbench.ingest.encodings import Detection
from workbench.ingest.readers import (
    DOCUMENT_SUFFIXES,
    InputError,
    content_text,
    decode,
    document_input,
    read_bytes,
)

JSONL_SUFFIXES = (".jsonl", ".ndjson")
STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass
class Document:
    """One text to translate, and where it came from (for naming its output)."""

    name: str  # as reported to the user: the path, "<stdin>", or "path:LINE" for JSONL
    text: str
    relative: PurePosixPath  # the input's path below the argument it was found through
    record: dict | None = None  # the JSONL object this text came from
    line: int | None = None  # its line number in the JSONL file
    detection: Detection | None = None  # how the file's bytes were read
    article: Article | None = None  # an HTML page, already read into blocks
    declared: str | None = None  # the language tag the file declares (<html lang="zh-TW">)


@dataclass
class Failure:
    """An input (or one JSONL record) that was not translated, and why."""

    name: str
    reason: str
    skipped: bool = False  # nothing to do (already in the target language), not an error


@dataclass
class Source:
    """One input file (or stdin) and the documents it yielded."""

    name: str
    relative: PurePosixPath
    jsonl: bool = False
    detection: Detection | None = None  # how the file's bytes were read
    documents: list[Document] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    # JSONL: every JSON object in order, with its document (None: nothing to translate)
    records: list[tuple[dict, Document | None]] = field(default_factory=list)


def is_jsonl(name: str) -> bool:
    return Path(name).suffix.lower() in JSONL_SUFFIXES


def expand(arguments: tuple[str, ...] | list[str]) -> Iterator[tuple[str, PurePosixPath]]:
    """Each input file with its path relative to the argument; directories recurse.

    Inside a directory only the formats we read are taken (hidden files and
    folders are skipped), in sorted order so output order is stable.
    """
    for argument in arguments:
        if argument == STDIN:
            yield STDIN, PurePosixPath("stdin")
            continue
        path = Path(argument)
        if path.is_dir():
            wanted = DOCUMENT_SUFFIXES + JSONL_SUFFIXES
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if found.is_file() and found.suffix.lower() in wanted:
                    yield str(found), PurePosixPath(path.name or "input", *relative.parts)
        else:
            yield argument, PurePosixPath(path.name)


def read_source(
    name: str, relative: PurePosixPath, *, field_name: str | None, encoding: str | None
) -> Source:
    """Read one input into documents; never raises for a bad input."""
    jsonl = is_jsonl(name) or (name == STDIN and field_name is not None)
    display = STDIN_NAME if name == STDIN else name
    source = Source(display, relative, jsonl=jsonl)
    try:
        data = sys.stdin.buffer.read() if name == STDIN else read_bytes(name)
        if jsonl:
            if not field_name:
                raise InputError(f"{display}: JSONL input needs --field NAME (the text field)")
            source.detection, source.records, source.failures = _jsonl_records(
                data, display, relative, field_name, encoding
            )
            source.documents = [doc for _, doc in source.records if doc is not None]
            if not source.records and not source.failures:
                raise InputError(f"{display}: the file has no records")
        else:
            read = (
                decode(data, display, encoding)
                if name == STDIN
                else document_input(data, name, encoding)
            )
            article = read.text if isinstance(read.text, Article) else None
            source.detection = read.detection
            source.documents = [
                Document(
                    display,
                    content_text(read.text),
                    relative,
                    detection=read.detection,
                    article=article,
                    declared=read.language,
                )
            ]
    except InputError as error:
        source.failures = [Failure(display, _strip_name(str(error), display))]
    return source


def _strip_name(message: str, name: str) -> str:
    """Messages from the readers start with the file name; the summary prints it once."""
    prefix = f"{name}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _jsonl_records(
    data: bytes, name: str, relative: PurePosixPath, field_name: str, encoding: str | None
) -> tuple[Detection | None, list[tuple[dict, Document | None]], list[Failure]]:
    """One document per JSON object line; a bad line fails alone, the rest is read.

    The bytes are decoded like a .txt file's (``readers.decode``: BOM, UTF-16
    without one, GB18030/Big5 by detection, ``--encoding`` first): corpora
    exported on Chinese Windows are GB18030 or UTF-16 as often as UTF-8.
    """
    records: list[tuple[dict, Document | None]] = []
    failures: list[Failure] = []
    read = decode(data, name, encoding)
    detection = read.detection
    for number, line in enumerate(str(read.text).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            failures.append(Failure(where, f"not valid JSON ({error.msg})"))
            continue
        if not isinstance(record, dict):
            failures.append(Failure(where, "not a JSON object"))
            continue
        value = record.get(field_name)
        if not isinstance(value, str) or not value.strip():
            if value is None:
                what = "missing"
            elif isinstance(value, str):
                what = "empty"
            else:
                what = f"a {type(value).__name__}, not a string"
            failures.append(Failure(where, f"field {field_name!r} is {what}"))
            records.append((record, None))
            continue
        document = Document(where, value, relative, record=record, line=number, detection=detection)
        records.append((record, document))
    return detection, records, failures
