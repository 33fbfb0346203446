"""readers.document_text: every document format we read, and every way a file can be refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from workbench.ingest.readers import InputError, decode_text, document_text, markdown_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A minimal but valid .docx (what Word needs: content types, rels, document.xml)."""

    def para(text: str) -> str:
        runs = []
        for i, line in enumerate(text.split("\n")):
            if i:
                runs.append("<w:r><w:br/></w:r>")
            head, _, tail = line.partition("\t")
            runs.append(f'<w:r><w:t xml:space="preserve">{head}</w:t></w:r>')
            if _:
                runs.append(f"<w:r><w:tab/><w:t>{tail}</w:t></w:r>")
        return f"<w:p>{''.join(runs)}</w:p>"

    body = "".join(para(p) for p in paragraphs)
    body += "<w:p/>"  # an empty paragraph is skipped
    if table:
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in row) + "</w:tr>" for row in table
        )
        body += f"<w:tbl>{rows}</w:tbl>"
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_plain_text_is_decoded_as_before():
    data = "第一段。\r\n\r\nSecond paragraph.\n".encode()
    assert (
        document_text(data, "a.txt")
        == decode_text(data, "a.txt")
        == "第一段。\n\nSecond paragraph.\n"
    )


def test_markdown_keeps_the_text_and_drops_the_markup():
    source = """---
title: front matter
---
# A *heading* #

This is a [link](http://example.com) and **bold**
text on two lines.

> Quoted words.

- first item
- second `item`

1. numbered

```python
print("code is not translated")
```

| name | value |
|------|-------|
| a    | b     |

![a photo](img.png)

中文第一行
第二行。

[ref]: http://example.com
"""
    text = document_text(source.encode(), "notes.md")
    assert paragraphs(text) == [
        "A heading",
        "This is a link and bold text on two lines.",
        "Quoted words.",
        "first item",
        "second item",
        "numbered",
        "name  value",
        "a  b",
        "a photo",
        "中文第一行第二行。",
    ]
    assert document_text(source.encode(), "notes.markdown") == text


def test_markdown_setext_headings_and_underscores_in_words():
    text = markdown_text("Title\n=====\n\nsnake_case_name stays, _this_ loses marks\n")
    assert paragraphs(text) == ["Title", "snake_case_name stays, this loses marks"]


def test_html_blocks_become_paragraphs_scripts_are_dropped():
    page = b"""<!DOCTYPE html><html><head><title>Site</title><style>p{color:red}</style></head>
    <body><nav><a href="/">Home</a></nav><h1>Big  news</h1>
    <p>First <b>bold</b>
       sentence.<br>After a break.</p><!-- comment -->
    <script>var x = "not text";</script>
    <ul><li>one</li><li>two</li></ul><table><tr><td>cell</td></tr></table>
    <div>loose <span>text</span></div></body></html>"""
    text = document_text(page, "page.html")
    assert paragraphs(text) == [
        "Home",
        "Big news",
        "First bold sentence.",
        "After a break.",
        "one",
        "two",
        "cell",
        "loose text",
    ]
    assert document_text(page, "PAGE.HTM") == text


def test_html_declared_legacy_charset_is_honoured():
    page = '<html><head><meta charset="gb2312"></head><body><p>北京新闻。</p></body></html>'
    assert document_text(page.encode("gb18030"), "a.html") == "北京新闻。"


def test_docx_paragraphs_tables_tabs_and_breaks():
    data = make_docx(["标题", "First paragraph.", "Line one\nline two", "a\tb"], [["x", "y"]])
    assert paragraphs(document_text(data, "report.docx")) == [
        "标题",
        "First paragraph.",
        "Line one\nline two",
        "a\tb",
        "x",
        "y",
    ]


def test_docx_made_by_python_docx_if_installed(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Heading", level=1)
    document.add_paragraph("Body text.")
    path = tmp_path / "made.docx"
    document.save(path)
    assert paragraphs(document_text(path.read_bytes(), "made.docx")) == ["Heading", "Body text."]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.txt", "empty"),
        (b"  \n ", "a.md", "empty"),
        (b"\x00\x01\x02" * 100, "a.txt", "binary"),
        # GBK and GB18030 are detected now; two characters read as well in Big5
        ("你好".encode("gbk"), "a.txt", "cannot tell its encoding"),
        (b"%PDF-1.4", "paper.pdf", "unsupported file type '.pdf'"),
        (b"text", "README", "without an extension"),
        (b"PK\x03\x04 not really a zip", "a.docx", "not a valid .docx"),
        (b"plain text", "a.docx", "not a valid .docx"),
        (b"<html><body><script>x</script></body></html>", "a.html", "no text"),
        (b"```\nonly code\n```\n", "a.md", "no text"),
    ],
)
def test_refusals_name_the_file_and_the_reason(data, name, message):
    with pytest.raises(InputError) as caught:
        document_text(data, name)
    assert str(caught.value).startswith(f"{name}: ")
    assert message in str(caught.value)


def test_docx_without_document_xml_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a Word document"):
        document_text(buffer.getvalue(), "a.docx")


def test_docx_with_entity_declarations_does_not_expand_them():
    evil = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "EXPANDED">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>safe &x;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", evil)
    assert "EXPANDED" not in document_text(buffer.getvalue(), "a.docx")


def test_explicit_encoding_reads_gbk_text():
    data = "新闻报道。".encode("gbk")
    assert document_text(data, "a.txt", encoding="gbk") == "新闻报道。"
    assert document_text(b"<p>" + data + b"</p>", "a.html", encoding="gbk") == "新闻报道。"
