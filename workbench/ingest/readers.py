"""Turn an input file's bytes into text, or refuse it with a reason a user can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from aligner import Article, clean_article
from workbench.ingest import doors
from workbench.ingest.encodings import Detection, EncodingUnknown, canonical, detect
from workbench.ingest.markdown import markdown_text
from workbench.ingest.script import declared_language

MAX_INPUT_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """An input that cannot be read as an article; the message says why and what to do."""


def check_size(size: int, name: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise InputError(
            f"{name}: {size / 1e6:.1f} MB is more than the {MAX_INPUT_BYTES / 1e6:.0f} MB"
            " limit for one article; split it into several files"
        )


def decode_text(data: bytes, name: str = "input", encoding: str | None = None) -> str:
    """The text of ``data`` (see ``decode``), without the encoding used."""
    return decode(data, name, encoding).text


@dataclass
class Decoded:
    """A file's text and how its bytes were read (None for .docx, which is XML in a zip).

    ``text`` is an Article for an HTML page read by ``document_input``, already in blocks.
    """

    text: str | Article
    detection: Detection | None = None
    language: str | None = None  # the tag an HTML page declares (<html lang="zh-TW">)

    @property
    def metadata(self) -> dict:
        """How the file was read, for the document's metadata."""
        found = self.detection.as_metadata() if self.detection else {}
        return {**found, "declared_language": self.language} if self.language else found


def pair_metadata(source: Decoded, translation: Decoded) -> dict:
    """How an article and its translation were read, the translation's keys prefixed."""
    return {**source.metadata, **{f"translation_{k}": v for k, v in translation.metadata.items()}}


def decode(
    data: bytes, name: str = "input", encoding: str | None = None, *, markup: bool = False
) -> Decoded:
    """Decode ``data`` in the given encoding, or the one ``encodings.detect`` finds.

    Refuses, with the reason, binary files and text whose encoding stays
    ambiguous (a few characters that read as well in GB18030 as in Big5).
    ``markup``: HTML or XML, whose declared charset counts.
    """
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    check_size(len(data), name)
    try:
        if encoding:
            detection = Detection(canonical(encoding), "given")
        else:
            detection = detect(data, markup=markup)
    except LookupError:
        raise InputError(f"{name}: unknown encoding {encoding!r}") from None
    except EncodingUnknown as error:
        raise InputError(f"{name}: {error}") from error
    try:
        text = data.decode(detection.encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: cannot decode as {detection.describe()}: byte {error.start} is not"
            f" {detection.encoding}; {_another_encoding(data, detection, markup)}"
        ) from error
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name}: looks like a binary file ({controls} control characters)")
    if not text.strip():
        raise InputError(f"{name}: the file has no text")
    return Decoded(text, detection)


def _another_encoding(data: bytes, tried: Detection, markup: bool) -> str:
    """What to tell someone whose file did not decode: the encoding it reads as, if any."""
    if tried.how == "given":
        try:
            found = detect(data, markup=markup)
            data.decode(found.encoding)
        except (EncodingUnknown, UnicodeDecodeError):
            pass
        else:
            return f"it reads as {found.describe()}: give that encoding, or none to detect it"
    return "give its encoding"


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, or InputError saying why not (missing, a directory, too large)."""
    path = Path(path)
    try:
        check_size(path.stat().st_size, str(path))
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from error


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """Read an article from disk (see ``read_input``) as plain text."""
    return content_text(read_input(path, encoding).text)


def read_input(path: str | Path, encoding: str | None = None) -> Decoded:
    """An article file from disk as the importer takes it, with how it was read:
    .md, .html and .docx by their format (see ``document_input``), anything else
    (.txt, no extension) as plain text."""
    data = read_bytes(path)
    if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
        return document_input(data, str(path), encoding)
    refuse_interchange(data, str(path))
    return decode(data, str(path), encoding)


def refuse_interchange(data: bytes, filename: str) -> None:
    """InputError naming the right command when the file is TMX, XLIFF, TBX, PO …"""
    message = doors.refusal(filename, data[: doors.HEAD_BYTES])
    if message:
        raise InputError(message)


# --------------------------------------------------------------------------- documents
# Every reader below returns plain text with one paragraph per block and a blank
# line between blocks: the shape ``aligner.clean_article`` reads and the one the
# translated output keeps.

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIXES = (".docx",)
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES
MAX_DOCX_XML_BYTES = 200 * 1024 * 1024  # word/document.xml unpacked; refuses zip bombs
MAX_PARAGRAPHS = 20_000  # a .docx of more is split by hand: a document is one review unit


def document_text(data: bytes, filename: str, encoding: str | None = None) -> str:
    """Plain text of a document's bytes (see ``document``)."""
    return content_text(document(data, filename, encoding).text)


def document(data: bytes, filename: str, encoding: str | None = None) -> Decoded:
    """Plain text of a .txt, .md/.markdown, .html/.htm or .docx file's bytes.

    Paragraphs come out separated by blank lines; markup, scripts and styles are
    dropped. ``encoding`` overrides the detected one for the text formats.
    Raises InputError (empty, binary, wrongly encoded, corrupt, or a file type
    we do not read), with the file name in the message.
    """
    refuse_interchange(data, filename)
    suffix = Path(filename).suffix.lower()
    if suffix in DOCX_SUFFIXES:
        decoded = Decoded(_docx_text(data, filename))
    elif suffix in HTML_SUFFIXES:
        decoded = html_source(data, filename, encoding)
        decoded.text = _html_text(decoded.text, filename)
    elif suffix in MARKDOWN_SUFFIXES:
        decoded = decode(data, filename, encoding)
        decoded.text = markdown_text(decoded.text)
    elif suffix in TEXT_SUFFIXES:
        decoded = decode(data, filename, encoding)
    else:
        kind = f"'{suffix}'" if suffix else "without an extension"
        raise InputError(
            f"{filename}: unsupported file type {kind}; Workbench reads "
            + ", ".join(DOCUMENT_SUFFIXES)
            + " (convert other formats to one of these)"
        )
    if not decoded.text.strip():
        raise InputError(f"{filename}: the file has no text")
    return decoded


def html_source(data: bytes, filename: str, encoding: str | None = None) -> Decoded:
    """A page's source as text: ``encoding``, else the charset the page declares
    (gb2312 on older Chinese sites), else detected (see ``decode``); with the
    language tag the page declares (<html lang="zh-TW">). The XML declaration,
    which lxml refuses in a str, is dropped by ``workbench.ingest.html``."""
    decoded = decode(data, filename, encoding, markup=True)
    decoded.language = declared_language(decoded.text)
    return decoded


def _html_text(source: str, filename: str) -> str:
    """Text of every block of the page, article or not, one paragraph each."""
    from workbench.ingest.html import read_blocks

    try:
        return "\n\n".join(read_blocks(source))
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"{filename}: cannot parse as HTML: {error}") from error


def document_input(data: bytes, filename: str, encoding: str | None = None) -> Decoded:
    """An article file as the importer takes it, with how it was read: an HTML page
    read into title, body and furniture blocks (``.text`` an Article); any other
    format as its text (see ``as_article``).

    HTML goes through ``workbench.ingest.html``, where the page's markup and
    trafilatura tell the article from the page furniture; the text of the other
    formats through ``aligner.clean_article``, which reads furniture from the
    lines themselves. Raises InputError like ``document_text``.
    """
    if Path(filename).suffix.lower() not in HTML_SUFFIXES:
        return document(data, filename, encoding)
    from workbench.ingest.html import extract_article, page_article

    refuse_interchange(data, filename)
    decoded = html_source(data, filename, encoding)
    try:
        page = extract_article(decoded.text)
    except etree.ParserError as error:
        raise InputError(f"{filename}: cannot parse as HTML: {error}") from error
    except ValueError as error:
        raise InputError(f"{filename}: {error}") from error
    if not page.blocks:
        raise InputError(f"{filename}: the file has no text")
    try:
        decoded.text = page_article(page)
    except ValueError as error:
        raise InputError(f"{filename}: {error}") from error
    return decoded


def as_article(source: str | Article) -> Article:
    """An article already read into blocks as it is; plain text cleaned by
    ``aligner.clean_article``."""
    return source if isinstance(source, Article) else clean_article(source)


def content_text(source: str | Article) -> str:
    """The text of an input, or every block of an article read into blocks."""
    if isinstance(source, str):
        return source
    return "\n\n".join(block.text for block in source.blocks)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(data: bytes, filename: str) -> str:
    """Paragraphs of a Word document's main body (tables included, in order).

    Read straight from ``word/document.xml`` with lxml (no python-docx): the
    text runs, tabs and line breaks are all we need, and the parser never
    resolves entities or touches the network.
    """
    import io
    import zipfile

    from lxml import etree

    if not data.strip():
        raise InputError(f"{filename}: the file is empty")
    check_size(len(data), filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                raise InputError(
                    f"{filename}: not a Word document (no word/document.xml in the archive)"
                ) from None
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise InputError(f"{filename}: the document text unpacks to more than 200 MB")
            xml = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise InputError(f"{filename}: not a valid .docx file (a corrupt zip: {error})") from error
    except RuntimeError as error:  # encrypted members
        raise InputError(f"{filename}: cannot read the .docx file: {error}") from error
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as error:
        raise InputError(f"{filename}: corrupt .docx (word/document.xml: {error})") from error
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        if any(a.tag == f"{_W}p" for a in paragraph.iterancestors()):
            continue  # nested paragraph (text box): read with its own parent below
        parts = []
        for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            else:
                parts.append("\n")
        text = "".join(parts).strip()
        if text:
            paragraphs.append(text)
            if len(paragraphs) > MAX_PARAGRAPHS:
                raise InputError(
                    f"{filename}: more than {MAX_PARAGRAPHS:,} paragraphs; split the document"
                )
    return "\n\n".join(paragraphs)
