"""Turn an input file's bytes into text, or refuse it with a reason a user can act on."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from lxml import etree

from aligner import Article, clean_article

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
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; refuse anything else.

    GBK/GB18030 files are common for Chinese text but cannot be told apart from
    other legacy encodings reliably, so they are refused with the option that
    reads them rather than guessed at.
    """
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    check_size(len(data), name)
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise InputError(f"{name}: cannot decode as {encoding}: {error}") from error
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data[:65536]:
            raise InputError(f"{name}: looks like a binary file (it contains NUL bytes)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            hint = ""
            try:
                data.decode("gb18030")
                hint = "; it decodes as GBK/GB18030: convert it to UTF-8 or pass --encoding gbk"
            except UnicodeDecodeError:
                pass
            raise InputError(
                f"{name}: not valid UTF-8 (byte {error.start}){hint or '; convert it to UTF-8'}"
            ) from error
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name}: looks like a binary file ({controls} control characters)")
    if not text.strip():
        raise InputError(f"{name}: the file has no text")
    return text


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
    """Read an article from disk: .md, .html and .docx by their format, anything else
    (.txt, no extension) as plain text."""
    data = read_bytes(path)
    if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
        return document_text(data, str(path), encoding)
    return decode_text(data, str(path), encoding)


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


def document_text(data: bytes, filename: str, encoding: str | None = None) -> str:
    """Plain text of a .txt, .md/.markdown, .html/.htm or .docx file's bytes.

    Paragraphs come out separated by blank lines; markup, scripts and styles are
    dropped. ``encoding`` overrides the detected one for the text formats.
    Raises InputError (empty, binary, wrongly encoded, corrupt, or a file type
    we do not read), with the file name in the message.
    """
    suffix = Path(filename).suffix.lower()
    if suffix in DOCX_SUFFIXES:
        text = _docx_text(data, filename)
    elif suffix in HTML_SUFFIXES:
        text = _html_text(data, filename, encoding)
    elif suffix in MARKDOWN_SUFFIXES:
        text = markdown_text(decode_text(data, filename, encoding))
    elif suffix in TEXT_SUFFIXES:
        text = decode_text(data, filename, encoding)
    else:
        kind = f"'{suffix}'" if suffix else "without an extension"
        raise InputError(
            f"{filename}: unsupported file type {kind}; Workbench reads "
            + ", ".join(DOCUMENT_SUFFIXES)
            + " (convert other formats to one of these)"
        )
    if not text.strip():
        raise InputError(f"{filename}: the file has no text")
    return text


def _join_lines(lines: list[str]) -> str:
    """Join soft-wrapped lines of one paragraph: no space between two CJK characters."""
    out = ""
    for line in lines:
        if out and not (_is_cjk(out[-1]) and _is_cjk(line[0])):
            out += " "
        out += line
    return out


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" or ch >= "\U00020000"


_MD_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_MD_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),  # backslash escapes
]


def _md_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return text.strip()


def markdown_text(source: str) -> str:
    """Markdown to paragraphs by plain rules (no dependency, no HTML step).

    Headings, list items, table rows and quote paragraphs become paragraphs;
    code blocks, front matter, rules and link definitions are dropped; links
    and images keep their text; emphasis marks are removed.
    """
    lines = source.split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                lines = lines[end + 1 :]
                break
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(_join_lines(current))
            current.clear()

    fence: str | None = None
    for raw in lines:
        if fence:
            if raw.strip().startswith(fence):
                fence = None
            continue
        match = _MD_FENCE.match(raw)
        if match:
            flush()
            fence = match.group(1)[:3]
            continue
        line = _MD_QUOTE.sub("", raw)
        if not line.strip() or _MD_RULE.match(line) or _MD_REFDEF.match(line):
            flush()
            continue
        if _MD_SETEXT.match(line) and current:
            flush()  # the underline of a setext heading: the lines above were the heading
            continue
        if _MD_TABLE_RULE.match(line) and "-" in line:
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            text = _md_inline(heading.group(1))
            if text:
                paragraphs.append(text)
            continue
        if line.lstrip().startswith("|") or (line.count("|") >= 2 and "|" in line.strip()[1:-1]):
            flush()
            cells = [_md_inline(c) for c in line.strip().strip("|").split("|")]
            row = "  ".join(c for c in cells if c)
            if row:
                paragraphs.append(row)
            continue
        item = _MD_LIST.match(line)
        if item:
            flush()
            line = line[item.end() :]
        text = _md_inline(line)
        if text:
            current.append(text)
    flush()
    return "\n\n".join(paragraphs)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._-]+)""", re.I)


def html_source(data: bytes, filename: str, encoding: str | None = None) -> str:
    """A page's source as text: ``encoding``, else the charset the page declares
    (gb2312 on older Chinese sites), else UTF-8/UTF-16 by BOM (see decode_text)."""
    if not encoding:
        declared = _META_CHARSET.search(data[:4096])
        name = declared.group(1).decode("ascii").lower() if declared else ""
        if name and name.replace("-", "").replace("_", "") not in ("utf8", "utf16"):
            encoding = name
    return decode_text(data, filename, encoding)


def _html_text(data: bytes, filename: str, encoding: str | None) -> str:
    """Text of every block of the page, article or not, one paragraph each."""
    from workbench.ingest.html import read_blocks

    source = html_source(data, filename, encoding)
    try:
        return "\n\n".join(read_blocks(source))
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"{filename}: cannot parse as HTML: {error}") from error


def document_input(data: bytes, filename: str, encoding: str | None = None) -> str | Article:
    """An article file as the importer takes it: an HTML page read into title, body
    and furniture blocks; any other format as its text (see ``as_article``).

    HTML goes through ``workbench.ingest.html``, where the page's markup and
    trafilatura tell the article from the page furniture; the text of the other
    formats through ``aligner.clean_article``, which reads furniture from the
    lines themselves. Raises InputError like ``document_text``.
    """
    if Path(filename).suffix.lower() not in HTML_SUFFIXES:
        return document_text(data, filename, encoding)
    from workbench.ingest.html import extract_article, page_article

    source = html_source(data, filename, encoding)
    try:
        page = extract_article(source)
    except etree.ParserError as error:
        raise InputError(f"{filename}: cannot parse as HTML: {error}") from error
    except ValueError as error:
        raise InputError(f"{filename}: {error}") from error
    if not page.blocks:
        raise InputError(f"{filename}: the file has no text")
    try:
        return page_article(page)
    except ValueError as error:
        raise InputError(f"{filename}: {error}") from error


def as_article(source: str | Article) -> Article:
    """An article already read into blocks as it is; plain text cleaned by
    ``aligner.clean_article``."""
    return source if isinstance(source, Article) else clean_article(source)


def content_text(source: str | Article) -> str:
    """The text of an input, or every block of an article read into blocks."""
    if isinstance(source, str):
        return source
    return "\n\n".join(block.text for block in source.blocks)


def read_input(path: str | Path, encoding: str | None = None) -> str | Article:
    """An article file from disk as the importer takes it (see document_input)."""
    return document_input(read_bytes(path), str(path), encoding)


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
    return "\n\n".join(paragraphs)
