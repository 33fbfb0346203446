"""Translation memory: merge rule, history, imports, fuzzy lookup, concordance."""

from __future__ import annotations

import random
import time
from datetime import datetime, timezone

import pytest

from workbench.formats.tmx import read_tmx
from workbench.formats.units import TranslationUnit, xml_safe
from workbench.review.saves import save_segment
from workbench.store.db import insert_document
from workbench.tm import memory as tm

ZH = "沈阳工业学院与俄罗斯专家合作开展应用基础研究。"
EN = "Shenyang Institute of Technology works with Russian experts on applied basic research."


def unit_count(db) -> int:
    return db.execute("SELECT COUNT(*) FROM tm_units").fetchone()[0]


def test_tables_exist(db):
    assert {"tm_units", "tm_history", "tm_index", "tm_tokens"} <= set(db.table_names())


def test_add_and_exact_lookup(db):
    unit_id = tm.add_unit(db, ZH, EN, "zh", "en", "approved", changed_by="ann")
    matches = tm.lookup(db, ZH, "zh", "en")
    assert len(matches) == 1
    match = matches[0]
    assert (match.source, match.target, match.score, match.origin, match.unit_id) == (
        ZH,
        EN,
        100,
        "approved",
        unit_id,
    )
    assert match.changed_by == "ann"
    # Other direction or language pair: nothing.
    assert tm.lookup(db, ZH, "zh", "fr") == []
    assert tm.lookup(db, EN, "en", "zh") == []


def test_empty_units_are_not_stored(db):
    assert tm.add_unit(db, "", EN, "zh", "en", "approved") is None
    assert tm.add_unit(db, ZH, "   ", "zh", "en", "approved") is None
    assert unit_count(db) == 0


def test_duplicates_merge_keeping_newest_target_and_history(db):
    first = tm.add_unit(
        db,
        ZH,
        "Old translation.",
        "zh",
        "en",
        "tmx:a.tmx",
        changed_at="2023-01-01T00:00:00+00:00",
        changed_by="old",
    )
    # Same source after normalisation (extra spaces, full-width forms).
    second = tm.add_unit(
        db,
        "  " + ZH + " ",
        EN,
        "zh",
        "en",
        "approved",
        changed_at="2024-01-01T00:00:00+00:00",
        changed_by="new",
    )
    assert first == second
    assert unit_count(db) == 1
    row = db["tm_units"].get(first)
    assert (row["target"], row["origin"], row["changed_by"]) == (EN, "approved", "new")
    history = tm.history(db, first)
    assert [(h["target"], h["origin"], h["changed_by"]) for h in history] == [
        ("Old translation.", "tmx:a.tmx", "old")
    ]
    # An older translation arriving late does not win, but is kept as history.
    tm.add_unit(
        db,
        ZH,
        "Ancient translation.",
        "zh",
        "en",
        "tmx:b.tmx",
        changed_at=datetime(2020, 1, 1, tzinfo=timezone.utc),
    )
    assert db["tm_units"].get(first)["target"] == EN
    assert {h["target"] for h in tm.history(db, first)} == {
        "Old translation.",
        "Ancient translation.",
    }
    # The same target again adds no history, nor does the same old file imported twice.
    tm.add_unit(db, ZH, EN, "zh", "en", "approved")
    tm.add_unit(db, ZH, "Ancient translation.", "zh", "en", "tmx:b.tmx", changed_at="2020-01-01")
    assert len(tm.history(db, first)) == 2
    # Same source in another language pair is another unit.
    tm.add_unit(db, ZH, "Traduction.", "zh", "fr", "approved")
    assert unit_count(db) == 2


def test_index_counts_do_not_double_on_merge(db):
    tm.add_unit(db, "a b c", "甲乙丙", "en", "zh", "approved")
    tm.add_unit(db, "a  b c", "甲乙", "en", "zh", "approved")
    assert dict(db.execute("SELECT token, df FROM tm_tokens").fetchall()) == {
        "en:a": 1,
        "en:b": 1,
        "en:c": 1,
    }


def make_document(db, segments, source_lang="zh", target_lang="en") -> int:
    document = {"title": "t", "source_lang": source_lang, "target_lang": target_lang, "kind": "mt"}
    return insert_document(db, document, segments, "importer")


def test_add_approved_by_id_and_by_row(db):
    make_document(
        db,
        [
            {"source": ZH, "mt": "MT."},
            {"source": "分享到：", "translate": 0, "furniture": "share"},
            {"source": "第二句。", "mt": "MT 2."},
        ],
    )
    first, furniture, second = list(db.query("SELECT * FROM segments ORDER BY position"))
    save_segment(db, first["id"], base_version=1, author="ann", target=EN, status="approved")
    unit_id = tm.add_approved(db, first["id"])
    row = db["tm_units"].get(unit_id)
    assert (row["source"], row["target"], row["origin"], row["changed_by"]) == (
        ZH,
        EN,
        "approved",
        "ann",
    )
    assert f'"segment_id": "{first["id"]}"' in row["props"]
    assert tm.add_approved(db, furniture["id"]) is None  # page furniture never enters the TM
    assert tm.add_approved(db, second["id"]) is None  # no target yet
    joined = {**second, "target": "The second sentence.", "source_lang": "zh", "target_lang": "en"}
    assert tm.add_approved(db, joined) is not None
    plain = {**second, "target": "The 2nd sentence."}  # langs looked up from the document
    assert db["tm_units"].get(tm.add_approved(db, plain))["target"] == "The 2nd sentence."
    with pytest.raises(ValueError, match="does not exist"):
        tm.add_approved(db, 9999)


def test_import_units_counts_and_merges(db):
    units = [
        TranslationUnit(
            ZH, "First.", "zh", "en", changed=datetime(2022, 1, 1, tzinfo=timezone.utc)
        ),
        TranslationUnit(
            ZH, "Second.", "zh", "en", changed=datetime(2023, 1, 1, tzinfo=timezone.utc)
        ),
        TranslationUnit("第二句。", "Another.", "zh", "en", creator="bob"),
        TranslationUnit("第三句。", "", "zh", "en"),
    ]
    stats = tm.import_units(db, units, origin="tmx:memory.tmx")
    assert (stats.added, stats.updated, stats.unchanged, stats.skipped) == (2, 1, 0, 1)
    assert stats.total == 4 and stats.warnings
    assert tm.lookup(db, ZH, "zh", "en")[0].target == "Second."
    assert tm.lookup(db, "第二句。", "zh", "en")[0].origin == "tmx:memory.tmx"
    assert stats.as_dict()["total"] == 4


def test_import_is_all_or_nothing(db):
    def units():
        yield TranslationUnit(ZH, EN, "zh", "en")
        raise RuntimeError("the reader failed half-way")

    with pytest.raises(RuntimeError):
        tm.import_units(db, units())
    assert unit_count(db) == 0
    assert db.execute("SELECT COUNT(*) FROM tm_index").fetchone()[0] == 0


def test_import_from_tmx_file(db):
    tmx = f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-CN" creationtool="x" creationtoolversion="1"
 segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/>
<body>
<tu changedate="20230101T000000Z"><tuv xml:lang="zh-CN"><seg>{ZH}</seg></tuv>
<tuv xml:lang="en-US"><seg>{EN}</seg></tuv></tu>
<tu><tuv xml:lang="ZH_cn"><seg>你好。</seg></tuv><tuv xml:lang="EN-GB"><seg>Hello.</seg></tuv></tu>
</body></tmx>""".encode()
    stats = tm.import_units(db, read_tmx(tmx).units, origin="tmx:x.tmx")
    assert stats.added == 2
    assert tm.lookup(db, "你好。", "zh", "en")[0].target == "Hello."
    assert [u.source for u in tm.iter_units(db)] == [ZH, "你好。"]


def test_edit_distance_matches_dynamic_programming():
    def reference(a, b):
        previous = list(range(len(b) + 1))
        for i, x in enumerate(a, 1):
            current = [i]
            for j, y in enumerate(b, 1):
                current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
            previous = current
        return previous[-1]

    rng = random.Random(3)
    for _ in range(500):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 80))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 80))]
        assert tm.edit_distance(a, b) == reference(a, b)


def test_tokens():
    assert tm.tokens("Hello, World!", "en") == ["hello", ",", "world", "!"]
    assert "沈阳" in tm.tokens("沈阳工业学院", "zh")
    assert tm.tokens("", "zh") == []
    assert tm.tokens("English words only", "zh") == ["english", "words", "only"]


def test_scores_like_a_cat_tool(db):
    tm.add_unit(
        db,
        "The school signed a cooperation agreement with the university.",
        "学校与大学签署了合作协议。",
        "en",
        "zh",
        "approved",
    )
    exact = tm.lookup(
        db, "The school signed a cooperation agreement with the university.", "en", "zh"
    )
    assert exact[0].score == 100
    case = tm.lookup(
        db, "the school signed a cooperation agreement with the university.", "en", "zh"
    )
    assert case[0].score == 99  # 100 only for an identical source
    one_word = tm.lookup(
        db, "The school signed a cooperation agreement with the institute.", "en", "zh"
    )
    assert 85 <= one_word[0].score < 100
    assert tm.lookup(db, "Completely unrelated text about the weather today.", "en", "zh") == []


def sentence(rng: random.Random, lang: str) -> str:
    if lang == "en":
        subjects = [
            "The school",
            "Our university",
            "The institute",
            "A delegation",
            "The team",
            "The committee",
            "The professor",
            "Local officials",
            "The students",
        ]
        verbs = ["signed", "discussed", "announced", "approved", "visited", "launched", "reviewed"]
        objects = [
            "a cooperation agreement",
            "the research plan",
            "a new laboratory",
            "the exchange programme",
            "the annual report",
            "an innovation centre",
            "the training course",
            "a joint project",
        ]
        tails = [
            "with Russian partners",
            "in Shenyang",
            "last week",
            "on Monday",
            "for the next five years",
            "after a long debate",
            "with great interest",
            "in the presence of the mayor",
            "despite the weather",
        ]
        return (
            f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} "
            f"{rng.choice(tails)} {rng.choice(tails)}."
        )
    subjects = [
        "学校",
        "我们大学",
        "研究所",
        "代表团",
        "团队",
        "委员会",
        "教授",
        "地方官员",
        "学生们",
    ]
    verbs = ["签署了", "讨论了", "宣布了", "批准了", "参观了", "启动了", "审查了"]
    objects = ["合作协议", "研究计划", "新实验室", "交流项目", "年度报告", "创新中心", "培训课程"]
    tails = [
        "与俄罗斯伙伴一起",
        "在沈阳",
        "上周",
        "在周一",
        "在未来五年",
        "经过长时间讨论",
        "怀着极大兴趣",
        "在市长见证下",
    ]
    return (
        f"{rng.choice(subjects)}{rng.choice(tails)}{rng.choice(verbs)}{rng.choice(objects)}"
        f"，{rng.choice(tails)}。"
    )


@pytest.fixture
def thousand(db):
    """1,000 distinct units per direction, built from a small grammar."""
    rng = random.Random(11)
    units = {}
    for lang, other in (("en", "zh"), ("zh", "en")):
        seen: set[str] = set()
        while len(seen) < 1000:
            seen.add(sentence(rng, lang))
        units[lang] = sorted(seen)
        tm.import_units(
            db, [TranslationUnit(s, f"T{i}", lang, other) for i, s in enumerate(units[lang])]
        )
    return units


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_thousand_units_exact_and_one_word_change(db, thousand, lang):
    other = "zh" if lang == "en" else "en"
    rng = random.Random(5)
    for text in rng.sample(thousand[lang], 30):
        best = tm.lookup(db, text, lang, other)[0]
        assert (best.source, best.score) == (text, 100)
        changed = (
            text.replace("学校", "医院", 1) if lang == "zh" else text.replace(" the ", " a ", 1)
        )
        if changed != text:
            fuzzy = tm.lookup(db, changed, lang, other)
            assert fuzzy and fuzzy[0].score >= 80


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lookup_agrees_with_a_full_scan(db, thousand, lang):
    """The index may only skip units that cannot reach min_score: compare with brute force."""
    other = "zh" if lang == "en" else "en"
    rows = db.execute(
        "SELECT tokens, source_key FROM tm_units WHERE source_lang = ?", [lang]
    ).fetchall()
    rng = random.Random(9)
    for _ in range(25):
        query = sentence(rng, lang)
        query_tokens = tm.tokens(query, lang)
        key = tm.normalise(query)
        best = max(tm.fuzzy_score(query_tokens, t.split(), k == key) for t, k in rows)
        found = tm.lookup(db, query, lang, other, limit=1, min_score=50)
        if best >= 50:
            assert found and found[0].score == best, query
        else:
            assert not found


def test_limit_min_score_and_ordering(db, thousand):
    text = thousand["en"][0]
    matches = tm.lookup(db, text, "en", "zh", limit=3, min_score=0)
    assert len(matches) == 3
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert tm.lookup(db, text, "en", "zh", limit=0) == []
    assert all(m.score >= 90 for m in tm.lookup(db, text, "en", "zh", limit=10, min_score=90))


def test_lookup_is_fast_on_a_thousand_units(db, thousand):
    rng = random.Random(2)
    queries = [sentence(rng, "zh") for _ in range(50)]
    tm.lookup(db, queries[0], "zh", "en")
    started = time.perf_counter()
    for query in queries:
        tm.lookup(db, query, "zh", "en")
    assert (time.perf_counter() - started) / len(queries) < 0.05


def test_concordance(db):
    tm.add_unit(db, ZH, EN, "zh", "en", "approved", changed_at="2023-01-01T00:00:00+00:00")
    tm.add_unit(
        db,
        "俄罗斯专家来访。",
        "Russian experts visited.",
        "zh",
        "en",
        "approved",
        changed_at="2024-01-01T00:00:00+00:00",
    )
    tm.add_unit(db, "100% sure_thing", "百分之百", "en", "zh", "approved")
    found = tm.concordance(db, "俄罗斯专家")
    assert [r["source"] for r in found] == ["俄罗斯专家来访。", ZH]  # newest first
    assert found[0]["matched"] == "source"
    assert [r["matched"] for r in tm.concordance(db, "russian EXPERTS")] == ["target", "target"]
    assert len(tm.concordance(db, "俄罗斯", source_lang="en")) == 0
    assert len(tm.concordance(db, "俄罗斯", limit=1)) == 1
    # LIKE wildcards in the query are literal characters.
    assert [r["source"] for r in tm.concordance(db, "%")] == ["100% sure_thing"]
    assert [r["source"] for r in tm.concordance(db, "e_t")] == ["100% sure_thing"]
    assert tm.concordance(db, "   ") == []


@pytest.mark.parametrize(
    "hostile",
    [
        "'; DROP TABLE tm_units; --",
        "<script>alert(1)</script>",
        "\x00\x01 control",
        "%_\\",
        "的" * 3000,
        "the " * 3000,
        "。，！？",
        "\ud800 lone surrogate",
    ],
)
def test_hostile_text(db, hostile):
    tm.add_unit(db, ZH, EN, "zh", "en", "approved")
    for lang, other in (("zh", "en"), ("en", "zh")):
        tm.add_unit(db, hostile, hostile, lang, other, "approved")
        best = tm.lookup(db, hostile, lang, other)[0]
        # kept without surrounding spaces and without what XML cannot carry (NUL, a lone
        # surrogate): a TMX export carries exactly what the memory holds
        stored = xml_safe(hostile).strip()
        assert (best.score, best.source, best.target) == (100, stored, stored)
        # the text is data, never SQL or a LIKE pattern: no other unit comes back
        found = tm.concordance(db, hostile)
        assert all(stored in r["source"] or stored in r["target"] for r in found)
    assert [r["source"] for r in tm.concordance(db, "俄罗斯")] == [ZH]


def test_punctuation_only_query_finds_exact_unit(db):
    tm.add_unit(db, "2023", "2023", "zh", "en", "approved")
    assert tm.lookup(db, "2023", "zh", "en")[0].score == 100
    assert tm.lookup(db, "……", "zh", "en") == []


def test_every_approval_enters_the_tm(tmp_path):
    """Approving through save_segment or a bulk approve puts the pair in the TM."""
    from workbench.review import repair
    from workbench.review.saves import save_segment
    from workbench.store.db import connect, insert_document
    from workbench.tm.memory import lookup

    db = connect(tmp_path / "approve.db")
    doc = insert_document(
        db,
        {"title": "t", "source_lang": "en", "target_lang": "zh", "kind": "mt"},
        [
            {"source": "The school signed an agreement.", "target": "学校签署了协议。"},
            {"source": "Experts attended the meeting.", "target": "专家出席了会议。"},
        ],
        "t",
    )
    first, second = db["segments"].rows_where("document_id = ?", [doc], order_by="position")
    save_segment(db, first["id"], base_version=first["version"], author="r", status="approved")
    assert lookup(db, "The school signed an agreement.", "en", "zh")[0].score == 100
    assert lookup(db, "Experts attended the meeting.", "en", "zh") == []
    repair.bulk_set_status(db, [second["id"]], "approved", "r")
    (match,) = lookup(db, "Experts attended the meeting.", "en", "zh")
    assert (match.score, match.target) == (100, "专家出席了会议。")


def test_a_control_character_pasted_into_a_unit_does_not_hide_it(db):
    """A NUL or another character XML cannot carry (pasted from a PDF) hid the unit from
    the concordance (SQLite's LIKE stops at a NUL) and changed it on the way to TMX."""
    unit = tm.add_unit(
        db, "大连\x00理工大学\x0b召开会议。", "DUT\x07 held a meeting.", "zh", "en", "tmx"
    )
    assert unit is not None
    (found,) = tm.concordance(db, "理工大学召开")
    assert (found["source"], found["target"]) == ("大连理工大学召开会议。", "DUT held a meeting.")
    assert [m.target for m in tm.lookup(db, "大连理工大学召开会议。", "zh", "en")] == [
        "DUT held a meeting."
    ]
