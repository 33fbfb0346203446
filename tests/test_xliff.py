"""XLIFF 1.2 export/re-import: status round trip, other tools' files, safety."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree
from translate.storage.xliff import xlifffile

from workbench.formats.xliff import (
    STATUS_TO_STATE,
    XliffDocument,
    XliffError,
    XliffSegment,
    read_xliff,
    write_xliff,
)

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


def _doc() -> XliffDocument:
    return XliffDocument(
        original="手册 & guide.txt",
        source_lang="en",
        target_lang="zh",
        segments=[
            XliffSegment("1", "Untouched.", "", "new", mt="未触及。"),
            XliffSegment("2", "Being edited.", "正在编辑", "draft", mt="被编辑。"),
            XliffSegment("3", 'Say "hi" <now> & then', "说“嗨”<现在>&然后", "translated"),
            XliffSegment("4", "Approved 😀.", "已批准 😀。", "approved", note="checked by 王"),
            XliffSegment(
                "5", "Wrong.", "错的。", "rejected", note="term: use 工作区", resname="p5"
            ),
            XliffSegment("6", "  spaced\ttext\r\n ", "  有空格\t的文本\n ", "translated"),
        ],
    )


def _write(doc: XliffDocument) -> bytes:
    buf = io.BytesIO()
    assert write_xliff(doc, buf, tool_version="1.2.3") == len(doc.segments)
    return buf.getvalue()


def test_round_trip_keeps_ids_targets_statuses_mt_and_notes() -> None:
    doc = _doc()
    back = read_xliff(_write(doc))
    assert back == doc


def test_written_structure_and_state_mapping() -> None:
    root = etree.fromstring(_write(_doc()))
    assert root.get("version") == "1.2"
    file_el = root.find("x:file", NS)
    assert file_el is not None
    assert file_el.get("source-language") == "en-US"
    assert file_el.get("target-language") == "zh-CN"
    assert file_el.get("datatype") == "plaintext"
    assert file_el.get("original") == "手册 & guide.txt"
    units = root.findall(".//x:trans-unit", NS)
    # An untranslated unit gets the source copied, state needs-translation (OmegaT 3.6
    # translates targets: an empty one or none hides the unit from it).
    copy = units[0].find("x:target", NS)
    assert (
        copy is not None and copy.text == "Untouched." and copy.get("state") == "needs-translation"
    )
    states = [u.find("x:target", NS).get("state") for u in units[1:]]  # type: ignore[union-attr]
    assert states == [
        "needs-translation",
        "translated",
        "signed-off",
        "needs-review-translation",
        "translated",
    ]
    assert [u.get("approved") for u in units] == [None, None, None, "yes", None, None]
    assert units[4].get("resname") == "p5"
    alt = units[0].find("x:alt-trans/x:target", NS)
    assert alt is not None and alt.text == "未触及。"


def test_translate_toolkit_reads_our_xliff() -> None:
    doc = _doc()
    store = xlifffile(io.BytesIO(_write(doc)))
    units = [u for u in store.units if not u.isheader()]
    assert [u.xmlelement.get("id") for u in units] == [s.id for s in doc.segments]
    assert [u.source for u in units] == [s.source for s in doc.segments]
    assert [u.target or "" for u in units] == [s.target or s.source for s in doc.segments]
    assert [u.isapproved() for u in units] == [s.status == "approved" for s in doc.segments]


def test_unknown_status_is_refused_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "doc.xlf"
    path.write_bytes(b"old")
    doc = XliffDocument("a.txt", segments=[XliffSegment("1", "a", "b", "done")])
    with pytest.raises(ValueError, match="unknown status"):
        write_xliff(doc, path)
    assert path.read_bytes() == b"old"


def test_write_to_path(tmp_path: Path) -> None:
    path = tmp_path / "doc.xlf"
    write_xliff(_doc(), path)
    assert read_xliff(path) == _doc()


def test_new_with_text_reads_back_as_new() -> None:
    doc = XliffDocument("a.txt", segments=[XliffSegment("1", "a", "甲", "new")])
    assert read_xliff(_write(doc)).segments[0].status == "new"


def test_untranslated_units_can_be_written_without_a_target() -> None:
    buf = io.BytesIO()
    write_xliff(_doc(), buf, copy_source=False)
    units = etree.fromstring(buf.getvalue()).findall(".//x:trans-unit", NS)
    assert units[0].find("x:target", NS) is None
    assert read_xliff(buf.getvalue()) == _doc()


def test_a_source_copy_is_no_translation_but_a_translation_equal_to_the_source_is() -> None:
    doc = XliffDocument(
        "a.txt",
        segments=[
            XliffSegment("1", "iPhone 15", "", "new"),
            XliffSegment("2", "iPhone 15", "iPhone 15", "translated"),
            XliffSegment("3", "iPhone 15", "iPhone 15", "approved"),
        ],
    )
    back = read_xliff(_write(doc)).segments
    assert [(s.target, s.status, s.source_copy) for s in back] == [
        ("", "new", True),
        ("iPhone 15", "translated", False),
        ("iPhone 15", "approved", False),
    ]


def test_memoq_file() -> None:
    doc = read_xliff(FIXTURES / "memoq_export.mqxliff")
    assert (doc.original, doc.source_lang, doc.target_lang) == ("handbook.docx", "en", "zh")
    got = [(s.id, s.source, s.target, s.status, s.mt) for s in doc.segments]
    assert got == [
        ("1", "Press Start now.", "现在按开始。", "translated", None),
        ("2", "See figure 3.", "见图 3。", "approved", None),
        ("3", "https://example.com", "", "new", None),
        ("4", "() appendix", "() 附录", "draft", None),  # TM alt-trans is not MT
        ("5", "Do not unplug the device.", "拔掉设备。", "rejected", None),
    ]
    assert doc.segments[4].note == 'Meaning reversed: the source says "do not".'


def test_omegat_edited_file() -> None:
    doc = read_xliff(FIXTURES / "omegat_translated.xlf")
    got = [(s.id, s.source, s.target, s.status) for s in doc.segments]
    assert got == [
        ("s1", "Welcome.", "欢迎。", "approved"),  # approved="yes"
        ("s2", "Read the safety notes first.", "请先阅读安全说明。", "draft"),  # <g> kept
        ("s3", "Keep the receipt.", "保留收据。", "translated"),  # no state
        ("s4", "Warranty terms", "", "new"),  # no target; <x/> dropped
        ("s5", "Contact support.", "联系技术支持。", "rejected"),
        ("s6", "Thank you.", "谢谢。", "approved"),  # final
    ]
    assert doc.segments[0].resname == "guide.txt#1"
    assert doc.segments[1].mt == "首先阅读安全说明。"
    assert doc.segments[4].note == "Use 客服 instead of 技术支持."


def _xliff(unit_xml: str, *, version: str = "1.2", tgt: str = "zh-CN") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff version="{version}" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        f'<file original="f" source-language="en-US" target-language="{tgt}"'
        ' datatype="plaintext">\n'
        f"<body>\n{unit_xml}\n</body>\n</file>\n</xliff>\n"
    ).encode()


@pytest.mark.parametrize(
    ("attrs", "target", "status"),
    [
        ('approved="yes"', '<target state="translated">甲</target>', "approved"),
        ('approved="no"', '<target state="translated">甲</target>', "translated"),
        ('approved="yes"', "<target></target>", "new"),
        ("", '<target state="final">甲</target>', "approved"),
        ("", '<target state="signed-off">甲</target>', "approved"),
        ("", '<target state="needs-review-l10n">甲</target>', "rejected"),
        ("", '<target state="needs-adaptation">甲</target>', "draft"),
        ("", '<target state="new">甲</target>', "new"),
        ("", '<target state="needs-translation">甲</target>', "draft"),
        ("", '<target state="new"/>', "new"),
        ("", '<target state="x-custom">甲</target>', "translated"),
        ("", "<target>甲</target>", "translated"),
        ("", "", "new"),
    ],
)
def test_state_variants(attrs: str, target: str, status: str) -> None:
    data = _xliff(f'<trans-unit id="u" {attrs}><source>a</source>{target}</trans-unit>')
    assert read_xliff(data).segments[0].status == status


def test_every_status_has_a_state() -> None:
    assert set(STATUS_TO_STATE) == {"new", "draft", "translated", "approved", "rejected"}


def test_xliff_without_namespace_and_traditional_chinese_is_reported() -> None:
    data = (
        b'<xliff version="1.1"><file original="f" source-language="en" target-language="zh-TW"'
        b' datatype="plaintext"><body><trans-unit id="1"><source>a</source>'
        b"<target>\xe7\x94\xb2</target></trans-unit></body></file></xliff>"
    )
    doc = read_xliff(data)
    assert doc.target_lang == "zh-Hant"
    assert doc.segments[0].target == "甲"
    assert any("zh-Hant" in w for w in doc.warnings)


def test_utf16_xliff() -> None:
    data = _xliff('<trans-unit id="1"><source>Tea</source><target>茶</target></trans-unit>')
    text = data.decode().replace('"UTF-8"', '"UTF-16"')
    assert read_xliff(b"\xff\xfe" + text.encode("utf-16-le")).segments[0].target == "茶"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<tmx version='1.4'/>", "not an XLIFF"),
        (_xliff("", version="2.0"), "2.0"),
        (_xliff("<trans-unit><source>a</source></trans-unit>"), "no id"),
        (_xliff('<trans-unit id="1"><target>a</target></trans-unit>'), "no <source>"),
    ],
)
def test_structural_errors(data: bytes, message: str) -> None:
    with pytest.raises(XliffError, match=message):
        read_xliff(data)


def test_malformed_xliff_reports_line() -> None:
    data = _xliff('<trans-unit id="1">\n<source>a</source>\n<target>b</targt>\n</trans-unit>')
    with pytest.raises(XliffError) as err:
        read_xliff(data)
    assert err.value.line == 7  # the line of </targt>
    assert err.value.column is not None


def test_entities_are_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<xliff version="1.2"><file original="f" source-language="en" target-language="zh">'
        b'<body><trans-unit id="1"><source>&b;</source></trans-unit></body></file></xliff>'
    )
    with pytest.raises(XliffError, match=r"declares XML entities \(a, b\); entity declarations"):
        read_xliff(data)


def test_files_with_different_languages_are_refused() -> None:
    data = (
        b'<xliff version="1.2"><file original="a" source-language="en" target-language="zh">'
        b"<body/></file>"
        b'<file original="b" source-language="en" target-language="fr"><body/></file></xliff>'
    )
    with pytest.raises(XliffError, match="differ"):
        read_xliff(data)
