"""TMX export/import: DTD validity, translate-toolkit interop, other tools' files, safety."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree
from translate.storage.tmx import tmxfile

from workbench.formats.tmx import TmxError, parse_tmx_date, read_tmx, write_tmx
from workbench.formats.units import TranslationUnit, normalize_lang

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"
UTC = timezone.utc
CREATED = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)

# Text that breaks naive writers; every one must survive exactly.
TRICKY = [
    ("Plain English sentence.", "简体中文句子。"),
    ("He said \"hello\" & 'bye'", "他说：“你好”和‘再见’"),
    ("a < b > c && d", "a < b > c && d"),
    ("]]> is not special in text", "CDATA 结尾 ]]> 也没问题"),
    ("  leading and trailing spaces  ", "　全角空格　"),
    ("tab\there", "换行\n第二行"),
    ("CRLF line\r\nend", "回车\r符"),
    ("emoji 😀👍🏽 and 𠀀 (astral CJK)", "表情 😀 与 𠀀"),
    ("non-breaking\u00a0space, zero\u200bwidth", "零宽\u200d连接"),
    ("&amp; literally", "&lt;b&gt; 字面"),
]

# Characters XML 1.0 cannot carry; the writer removes them.
ILLEGAL = "\x00\x01\x08\x0b\x0c\x1f\ufffe\uffff\ud800"


def _dtd() -> etree.DTD:
    return etree.DTD(str(FIXTURES / "tmx14.dtd"))


def _units() -> list[TranslationUnit]:
    out = []
    for i, (src, tgt) in enumerate(TRICKY, 1):
        out.append(TranslationUnit(src, tgt, "en", "zh", tuid=f"u{i}"))
    return out


def write_checked(units: list[TranslationUnit], **kwargs: object) -> bytes:
    """Write, validate against the LISA DTD and read back with translate-toolkit."""
    buf = io.BytesIO()
    n = write_tmx(units, buf, created=CREATED, **kwargs)  # type: ignore[arg-type]
    data = buf.getvalue()
    assert n == len(units)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    doc = etree.fromstring(data, parser)
    dtd = _dtd()
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    tt_units = tmxfile(io.BytesIO(data)).units
    assert len(tt_units) == len(units)
    drop = {ord(c): None for c in ILLEGAL}
    for ours, theirs in zip(units, tt_units, strict=True):
        assert theirs.source == ours.source.translate(drop)
        assert theirs.target == ours.target.translate(drop)
        if ours.tuid is not None:  # without a tuid translate-toolkit invents an id
            assert theirs.getid() == ours.tuid.translate(drop)
    return data


def test_written_tmx_is_valid_and_translate_toolkit_reads_every_pair_exactly() -> None:
    write_checked(_units())


def test_illegal_xml_characters_are_removed() -> None:
    unit = TranslationUnit(f"A{ILLEGAL}B", f"甲{ILLEGAL}乙", "en", "zh", tuid=f"id{ILLEGAL}")
    unit.notes = [f"note{ILLEGAL}"]
    unit.props = {"status": f"ok{ILLEGAL}"}
    data = write_checked([unit])
    back = read_tmx(data).units[0]
    assert (back.source, back.target, back.tuid) == ("AB", "甲乙", "id")
    assert back.notes == ["note"] and back.props == {"status": "ok"}


def test_header_declaration_and_doctype() -> None:
    data = write_checked(_units()[:1], tool_version="9.9")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in data
    header = etree.fromstring(data).find("header")
    assert header is not None
    assert dict(header.attrib) == {
        "creationtool": "Workbench",
        "creationtoolversion": "9.9",
        "segtype": "sentence",
        "o-tmf": "Workbench",
        "adminlang": "en-US",
        "srclang": "en-US",
        "datatype": "plaintext",
        "creationdate": "20240506T070809Z",
    }


def test_own_round_trip_loses_nothing() -> None:
    units = [
        TranslationUnit(
            "Approved sentence.",
            "已批准的句子。",
            "en",
            "zh",
            tuid="doc1:17",
            created=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            changed=datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC),
            creator="alice",
            changer="bob",
            props={"status": "approved", "document": "手册.docx", "confidence": "0.93"},
            notes=["first note", "rejected once: wrong term 工作区"],
        ),
        # A unit in the other direction gets its own srclang on <tu>.
        TranslationUnit("这是中文原文。", "This is the Chinese source.", "zh", "en", tuid="2"),
        TranslationUnit("x", "y", "en", "zh", props={"x-custom": "kept", "hter": "0.12"}),
    ]
    data = write_checked(units, header_props={"project": "用户手册"})
    back = read_tmx(data)
    assert back.units == units
    assert back.header_props == {"project": "用户手册"}
    assert back.skipped == {} and back.warnings == []
    assert back.version == "1.4"
    assert back.header["creationtool"] == "Workbench"
    assert back.languages == {"en": 3, "zh": 3}


def test_non_utc_and_naive_datetimes_are_written_as_utc() -> None:
    from datetime import timedelta

    beijing = timezone(timedelta(hours=8))
    unit = TranslationUnit(
        "a", "甲", "en", "zh", created=datetime(2024, 1, 1, 8, 0, tzinfo=beijing)
    )
    unit.changed = datetime(2024, 1, 1, 8, 0)  # naive: taken as UTC
    back = read_tmx(write_checked([unit])).units[0]
    assert back.created == datetime(2024, 1, 1, 0, 0, tzinfo=UTC)
    assert back.changed == datetime(2024, 1, 1, 8, 0, tzinfo=UTC)


def test_lang_tags_are_configurable() -> None:
    data = write_checked(
        [TranslationUnit("colour", "颜色", "en", "zh")],
        lang_tags={"en": "en-GB", "zh": "zh-Hans"},
    )
    root = etree.fromstring(data)
    langs = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in root.iter("tuv")]
    assert langs == ["en-GB", "zh-Hans"]
    assert root.find("header").get("srclang") == "en-GB"  # type: ignore[union-attr]
    unit = read_tmx(data).units[0]
    assert (unit.source_lang, unit.target_lang) == ("en", "zh")


def test_writer_streams_instead_of_building_the_document() -> None:
    class Sink(io.RawIOBase):
        def __init__(self) -> None:
            self.size = 0

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
            self.size += len(b)
            return len(b)

    sink = Sink()
    seen_at_half: list[int] = []

    def gen() -> Iterator[TranslationUnit]:
        for i in range(20_000):
            if i == 10_000:
                seen_at_half.append(sink.size)
            yield TranslationUnit(f"Sentence number {i}.", f"第 {i} 句。", "en", "zh", tuid=str(i))

    assert write_tmx(gen(), sink) == 20_000
    assert seen_at_half[0] > 100_000  # half the units were already on their way out


def test_write_to_path_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    write_tmx(_units(), path, created=CREATED)
    good = path.read_bytes()

    def failing() -> Iterator[TranslationUnit]:
        yield from _units()
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_tmx(failing(), path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["memory.tmx"]


# --------------------------------------------------------------------------- other tools


def test_omegat_project_save() -> None:
    tmx = read_tmx(FIXTURES / "omegat_project_save.tmx")
    assert tmx.header["creationtool"] == "OmegaT"
    assert [(u.source, u.target) for u in tmx.units] == [
        ("The file could not be saved.", "无法保存该文件。"),
        ('Open the workspace & select "Export".', "打开工作区并选择“导出”。"),
        ("Press Save to continue.", "按保存继续。"),  # bpt/ept native code dropped
        ("Close", "关闭"),
    ]
    assert all((u.source_lang, u.target_lang) == ("en", "zh") for u in tmx.units)
    first = tmx.units[0]
    # OmegaT keeps dates and authors on the target <tuv>.
    assert first.created == datetime(2024, 3, 10, 17, 2, 45, tzinfo=UTC)
    assert first.changed == datetime(2024, 3, 11, 9, 15, tzinfo=UTC)
    assert (first.creator, first.changer) == ("Li Wei", "Li Wei")
    assert tmx.units[1].notes == ['Check terminology: "workspace" is 工作区 in this project.']
    # OmegaT's alternative-translation props have no "x-" prefix and are kept as named.
    assert tmx.units[3].props == {
        "file": "manual/intro.docx",
        "prev": "The file could not be saved.",
        "next": "Try again later.",
    }
    assert tmx.skipped == {"empty_segment": 1}


def test_trados_studio_utf16_export() -> None:
    raw = (FIXTURES / "trados_studio_utf16.tmx").read_bytes()
    assert raw[:2] == b"\xff\xfe"
    tmx = read_tmx(raw)
    assert tmx.header["creationtool"] == "SDL Language Platform"
    assert tmx.header_props["TMName"] == "EN-ZH Manuals"
    assert [(u.source, u.target, u.target_lang) for u in tmx.units] == [
        ("Click OK to confirm.", "单击确定进行确认。", "zh"),
        ("Temperature: 25°C", "温度：25°C", "zh"),
        ("Software update", "軟體更新", "zh-Hant"),
    ]
    first = tmx.units[0]
    assert first.creator == "CORP\\wang.fang" and first.changer == "CORP\\li.na"
    assert first.created == datetime(2022, 6, 14, 8, 20, 11, tzinfo=UTC)
    assert first.props["ContextContent"] == "Chapter 1 | | 第1章 | "
    assert first.props["ConfirmationLevel"] == "ApprovedSignOff"
    assert first.props["Client:SingleString"] == "Acme"
    # Repeated x-Context: the first value is kept and the loss is reported.
    assert first.props["Context"] == "3724826454458105209, 8956964337464956188"
    assert any('x-Context"' in w for w in tmx.warnings)
    assert any("zh-TW" in w and "zh-Hant" in w for w in tmx.warnings)
    assert tmx.languages == {"en": 3, "zh": 2, "zh-Hant": 1}


def test_matecat_export() -> None:
    tmx = read_tmx(FIXTURES / "matecat_export.tmx")
    assert [(u.tuid, u.source, u.target) for u in tmx.units] == [
        ("81723", "What's new in version 2.0", "2.0 版新功能"),  # <g> content kept
        ("81724", "Bug fixes", "错误修复"),  # XLIFF-style <ph/> dropped
    ]
    assert tmx.units[0].props["MateCAT-status"] == "APPROVED"
    assert tmx.units[0].props["context-pre"] == ""
    assert tmx.units[0].created == datetime(2023, 9, 5, 14, 3, 12, tzinfo=UTC)
    # MateCat leaves unconfirmed segments without a target <tuv>.
    assert tmx.skipped == {"single_language": 1}
    assert tmx.skipped_total == 1


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("zh", "zh"),
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("ZH-CN", "zh"),
        ("zh_CN", "zh"),
        ("zh-SG", "zh"),
        ("zh-Hans-CN", "zh"),
        ("zh-CHS", "zh"),
        ("zh-TW", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("ZH-TW", "zh-Hant"),
        ("zh-Hant-CN", "zh-Hant"),
        ("en", "en"),
        ("en-US", "en"),
        ("EN-GB", "en"),
        ("en_us", "en"),
        ("fr-fr", "fr-FR"),
        ("sr-latn-rs", "sr-Latn-RS"),
    ],
)
def test_normalize_lang(tag: str, code: str) -> None:
    assert normalize_lang(tag) == code


def _tmx(body: str, *, srclang: str = "en-US", version: str = "1.4", doctype: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{doctype}"
        f'<tmx version="{version}">\n'
        f'<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"'
        f' adminlang="en" srclang="{srclang}" datatype="plaintext"/>\n'
        f"<body>\n{body}\n</body>\n</tmx>\n"
    ).encode()


def _tu(src_lang: str, src: str, tgt_lang: str, tgt: str, attr: str = "xml:lang") -> str:
    return (
        f'<tu><tuv {attr}="{src_lang}"><seg>{src}</seg></tuv>'
        f'<tuv {attr}="{tgt_lang}"><seg>{tgt}</seg></tuv></tu>'
    )


@pytest.mark.parametrize("zh", ["zh", "zh-CN", "zh-Hans", "ZH-CN", "zh_CN", "zh-SG"])
@pytest.mark.parametrize("en", ["en", "en-US", "EN-GB"])
def test_reader_maps_language_spellings(zh: str, en: str) -> None:
    unit = read_tmx(_tmx(_tu(en, "Hi", zh, "你好"), srclang=en)).units[0]
    assert (unit.source_lang, unit.target_lang) == ("en", "zh")


def test_tmx_11_lang_attribute_and_srclang_all() -> None:
    data = _tmx(
        _tu("EN", "One", "ZH-CN", "一", attr="lang"),
        srclang="*all*",
        version="1.1",
        doctype='<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n',
    )
    tmx = read_tmx(data)
    assert [(u.source, u.target, u.source_lang) for u in tmx.units] == [("One", "一", "en")]
    assert tmx.version == "1.1" and tmx.warnings == []


def test_source_side_follows_srclang_not_order() -> None:
    data = _tmx(_tu("zh-CN", "你好", "en-US", "Hello"), srclang="en-US")
    unit = read_tmx(data).units[0]
    assert (unit.source, unit.target, unit.source_lang) == ("Hello", "你好", "en")


def test_inline_tag_rule() -> None:
    seg = (
        'A<bpt i="1">{\\b </bpt>B<ept i="1">}</ept>C<ph x="1">&lt;br/&gt;</ph>D'
        '<it pos="begin">&lt;i&gt;</it>E<ut>{\\ul}</ut>F<hi type="x">G<ph>code</ph>H</hi>I'
        '<bpt i="2">&lt;a href="<sub>title text</sub>"&gt;</bpt>J'
    )
    unit = read_tmx(_tmx(_tu("en", seg, "zh", "中"))).units[0]
    assert unit.source == "ABCDEFGHIJ"


def test_single_language_and_empty_segments_are_skipped_and_counted() -> None:
    body = "\n".join(
        [
            _tu("en", "ok", "zh", "好"),
            '<tu><tuv xml:lang="en"><seg>alone</seg></tuv></tu>',
            _tu("en", "same", "en-GB", "same"),  # two variants, one language
            _tu("en", "empty target", "zh", ""),
            _tu("en", "   ", "zh", "空白原文"),
            _tu("en", '<ph x="1">{tag only}</ph>', "zh", "只有标签"),
        ]
    )
    tmx = read_tmx(_tmx(body))
    assert [u.source for u in tmx.units] == ["ok"]
    assert tmx.skipped == {"single_language": 2, "empty_segment": 3}
    assert tmx.skipped_total == 5
    assert any("only one language" in w for w in tmx.warnings)


def test_utf16_be_and_declared_legacy_encoding() -> None:
    data = _tmx(_tu("en", "Tea", "zh", "茶"))
    utf16be = b"\xfe\xff" + data.decode().replace('"UTF-8"', '"UTF-16"').encode("utf-16-be")
    assert read_tmx(utf16be).units[0].target == "茶"
    gb = data.decode().replace('"UTF-8"', '"GB18030"').encode("gb18030")
    assert read_tmx(gb).units[0].target == "茶"
    bom8 = b"\xef\xbb\xbf" + data
    assert read_tmx(bom8).units[0].target == "茶"


def test_bad_dates_are_ignored_and_reported() -> None:
    body = (
        '<tu creationdate="yesterday" changedate="2024-03-01T10:00:00Z">'
        '<tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="zh"><seg>甲</seg></tuv></tu>'
    )
    tmx = read_tmx(_tmx(body))
    assert tmx.units[0].created is None
    assert tmx.units[0].changed == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert any("date" in w for w in tmx.warnings)


def test_parse_tmx_date_variants() -> None:
    assert parse_tmx_date("20240102T030405Z") == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_tmx_date("20240102T110405+0800") == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_tmx_date("20240102") == datetime(2024, 1, 2, tzinfo=UTC)
    assert parse_tmx_date("20241302T000000Z") is None
    assert parse_tmx_date("") is None


# --------------------------------------------------------------------------- malformed / hostile


def test_malformed_file_reports_line_and_imports_nothing() -> None:
    lines = _tmx(_tu("en", "good", "zh", "好") + "\n" + _tu("en", "x", "zh", "y")).decode()
    broken = lines.replace("<seg>y</seg>", "<seg>y</sag>")
    expected_line = (
        broken.splitlines().index(next(li for li in broken.splitlines() if "</sag>" in li)) + 1
    )
    with pytest.raises(TmxError) as err:
        read_tmx(broken.encode())
    assert err.value.line == expected_line
    assert err.value.column is not None
    assert f"line {expected_line}" in str(err.value)


def test_truncated_file_is_an_error() -> None:
    data = (FIXTURES / "omegat_project_save.tmx").read_bytes()
    with pytest.raises(TmxError) as err:
        read_tmx(data[: len(data) // 2])
    assert err.value.line is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b'<?xml version="1.0"?><xliff version="1.2"/>', "not a TMX file"),
        (
            _tmx('<tu><tuv><seg>no lang</seg></tuv><tuv xml:lang="zh"><seg>甲</seg></tuv></tu>'),
            "xml:lang",
        ),
        (_tmx('<tu><tuv xml:lang="en"/><tuv xml:lang="zh"><seg>甲</seg></tuv></tu>'), "<seg>"),
    ],
)
def test_structural_errors(data: bytes, message: str) -> None:
    with pytest.raises(TmxError, match=message):
        read_tmx(data)


def test_tuv_error_has_line() -> None:
    data = _tmx('<tu><tuv xml:lang="en"><seg>a</seg></tuv>\n<tuv><seg>b</seg></tuv></tu>')
    with pytest.raises(TmxError) as err:
        read_tmx(data)
    assert err.value.line == 6  # declaration, <tmx>, <header>, <body>, <tu>, bad <tuv>


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
<body><tu><tuv xml:lang="en"><seg>&g;</seg></tuv>
<tuv xml:lang="zh"><seg>&g;</seg></tuv></tu></body></tmx>
"""


def test_billion_laughs_is_refused_without_expanding() -> None:
    start = time.perf_counter()
    # our refusal, naming the declared entities (not whatever libxml2 says on expansion)
    refusal = r"declares XML entities \(a, b, c, d, e\); entity declarations are refused"
    with pytest.raises(TmxError, match=refusal):
        read_tmx(BILLION_LAUGHS)
    assert time.perf_counter() - start < 1.0


def test_entities_of_a_utf16_file_are_refused_by_name_before_parsing() -> None:
    """lxml 6.2 stops the expansion itself while reading the DTD, with libxml2's words;
    the refusal names the entities whichever lxml is installed, in UTF-16 files too."""
    data = BILLION_LAUGHS.replace(b'version="1.0"?>', b'version="1.0" encoding="UTF-16"?>', 1)
    with pytest.raises(TmxError, match=r"declares XML entities \(a, b, c, d, e\)"):
        read_tmx(data.decode("utf-8").encode("utf-16"))


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        '<tmx version="1.4"><header srclang="en"/><body><tu>'
        '<tuv xml:lang="en"><seg>&xxe;</seg></tuv><tuv xml:lang="zh"><seg>甲</seg></tuv>'
        "</tu></body></tmx>"
    ).encode()
    with pytest.raises(TmxError, match=r"declares XML entities \(xxe\)") as err:
        read_tmx(data)
    assert "TOP-SECRET" not in str(err.value)


def test_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    # If the reader loaded the DTD, &leak; would expand to the file's content.
    (tmp_path / "evil.dtd").write_text('<!ENTITY leak "LEAKED">')
    doc = tmp_path / "doc.tmx"
    doc.write_bytes(
        _tmx(_tu("en", "a &leak; b", "zh", "甲"), doctype='<!DOCTYPE tmx SYSTEM "evil.dtd">\n')
    )
    with pytest.raises(TmxError, match="undeclared entity reference &leak;"):
        read_tmx(doc)


def test_network_dtd_is_not_fetched() -> None:
    data = _tmx(
        _tu("en", "a", "zh", "甲"),
        doctype='<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">\n',
    )
    assert read_tmx(data).units[0].source == "a"
