"""Legacy encodings through `workbench import` and the upload form: GBK, GB18030, Big5,
UTF-16 without a BOM and Windows-1252 are read and named; what stays ambiguous is
refused with the reason. Texts written for these tests."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from review_support import ZH_SENTENCES, ZH_TEXT, ZH_TITLE, add_users, login

from workbench.cli import cli
from workbench.ingest.encodings import EncodingUnknown, detect
from workbench.ingest.readers import InputError, document
from workbench.store.db import connect
from workbench.web import create_app

# Outside GBK: 𠮷 (CJK extension B) and 㐂 (extension A) take four bytes in GB18030.
GB18030_TEXT = "罕见的字\n\n他的名字里有一个𠮷字，字典里还收了㐂字。这些字在旧的编码里无法保存。\n"
BIG5_TEXT = (
    "颱風過後港口恢復運作\n\n"
    "經過三天的停工，臺北港於星期一恢復運作。"
    "港務局表示，所有碼頭都已經檢查完畢。"
    "第一艘貨輪在上午九點進港，船上載著兩百個貨櫃。\n"
)
WESTERN_TEXT = (
    "Café Society Returns\n\n"
    "The café reopened on Friday — after a naïve attempt at a résumé of its history,"
    " the owner said “we’re back” and charged €3 for a crème brûlée.\n"
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


CASES = {
    "gbk": (ZH_TEXT, "gbk", "gb18030"),
    "gb18030": (GB18030_TEXT, "gb18030", "gb18030"),
    "big5": (BIG5_TEXT, "big5", "big5"),
    "utf-16-le": (ZH_TEXT, "utf-16-le", "utf-16-le"),
    "utf-16-be": (ZH_TEXT, "utf-16-be", "utf-16-be"),
    "windows-1252": (WESTERN_TEXT, "cp1252", "windows-1252"),
}


@pytest.mark.parametrize("case", CASES)
def test_detection_names_the_encoding(case):
    text, codec, expected = CASES[case]
    detection = detect(text.encode(codec))
    assert detection.encoding == expected
    assert detection.how == "detected"


def test_gb18030_text_really_needs_gb18030():
    with pytest.raises(UnicodeEncodeError):
        GB18030_TEXT.encode("gbk")
    assert document(GB18030_TEXT.encode("gb18030"), "a.txt").text == GB18030_TEXT


def test_evidence_order_bom_then_declaration_then_utf8():
    assert detect(b"\xef\xbb\xbf" + "中文".encode()).how == "BOM"
    assert detect(b"\xff\xfe" + "中文".encode("utf-16-le")).encoding == "utf-16-le"
    page = '<html><head><meta charset="gb2312"></head><body>你好</body></html>'.encode("gbk")
    assert (detect(page, markup=True).encoding, detect(page, markup=True).how) == (
        "gb18030",
        "declared",
    )
    # a declaration the bytes contradict is ignored: this page is UTF-8
    lying = '<meta charset="big5"><p>北京新闻报道，今天的天气很好。</p>'.encode() + b"\xff"
    with pytest.raises(EncodingUnknown):
        detect(lying, markup=True)
    assert detect("北京新闻".encode()).how == "UTF-8"


def test_xml_declaration_names_the_encoding_of_an_xhtml_page():
    page = (
        '<?xml version="1.0" encoding="big5"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>臺北新聞。</p></body></html>'
    ).encode("big5")
    decoded = document(page, "page.html")
    assert decoded.text == "臺北新聞。"
    assert decoded.metadata == {"encoding": "big5", "encoding_how": "declared"}


@pytest.mark.parametrize("case", CASES)
def test_cli_import_reads_and_reports_the_encoding(case, db_path, installed_models, tmp_path):
    text, codec, expected = CASES[case]
    path = tmp_path / f"{case}.txt"
    path.write_bytes(text.encode(codec))
    result = run("import", str(path), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert f"(read as {expected} (detected" in result.output
    document_row = next(connect(db_path)["documents"].rows)
    assert json.loads(document_row["metadata"])["encoding"] == expected
    title = text.split("\n", 1)[0]
    assert document_row["title"] == title
    sources = [r["source"] for r in connect(db_path)["segments"].rows_where(order_by="position")]
    assert sources[0] == title
    assert "".join(sources[1:]).replace(" ", "") == "".join(text.split("\n")[1:]).replace(" ", "")


def test_cli_json_says_the_encoding_and_encoding_option_overrides(
    db_path, installed_models, tmp_path
):
    path = tmp_path / "article.txt"
    path.write_bytes(BIG5_TEXT.encode("big5"))
    result = run("import", str(path), "--db", str(db_path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"][0]["encoding"] == "big5"
    assert json.loads(result.stdout)["imported"][0]["encoding_how"] == "detected"
    # --encoding still wins: "你好" alone is too short to detect, and reads as given
    short = tmp_path / "short.txt"
    short.write_bytes("你好。我们今天去北京。".encode("gbk"))
    result = run("import", str(short), "--db", str(db_path), "--json", "--encoding", "gbk")
    assert result.exit_code == 0, result.output
    imported = json.loads(result.stdout)["imported"][0]
    assert (imported["encoding"], imported["encoding_how"]) == ("gb18030", "given")


def test_a_wrong_encoding_given_says_which_one_reads_the_file(db_path, installed_models, tmp_path):
    """UTF-8 Chinese imported with --encoding big5 (or latin-1): the error names the byte
    and the encoding the file does read as, and nothing is imported."""
    path = tmp_path / "article.txt"
    path.write_text("大连理工大学举行开学典礼。新生代表发言。", encoding="utf-8")
    for given in ("big5", "latin-1"):
        result = run("import", str(path), "--db", str(db_path), "--encoding", given)
        assert result.exit_code != 0
        assert "is not" in result.output and "it reads as utf-8 (valid UTF-8)" in result.output
        assert "Traceback" not in result.output
    assert connect(db_path).execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("你好".encode("gbk"), "cannot tell its encoding: it reads as gb18030"),
        (bytes(range(256)) * 8, "looks like a binary file"),
        (bytes(range(128, 256)) * 8, "does not decode as GB18030, Big5, UTF-16 or Windows"),
        (bytes(range(0xC0, 0xFF)) * 8, "no encoding reads it as text"),
    ],
    ids=["ambiguous", "binary-nul", "binary-high", "implausible"],
)
def test_undecidable_input_is_refused_with_the_reason(
    data, reason, db_path, installed_models, tmp_path
):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_bytes(ZH_TEXT.encode("gbk"))
    result = run("import", str(bad), str(good), "--db", str(db_path))
    assert result.exit_code == 1
    assert reason in result.output
    assert connect(db_path)["documents"].count == 1
    with pytest.raises(InputError, match="bad.txt"):
        document(data, "bad.txt")


# ----------------------------------------------------------------------- the upload form


@pytest.fixture
def client(db_path, installed_models):
    connect(db_path).close()
    add_users(db_path)
    return login(create_app(str(db_path), TESTING=True).test_client(), "rita")


def upload(client, content: bytes, name: str, encoding: str | None = None):
    form = {"file": (io.BytesIO(content), name), "project": "Harbour"}
    if encoding:
        form["encoding"] = encoding
    return client.post("/upload", data=form, content_type="multipart/form-data")


def test_upload_form_offers_the_encodings(client):
    page = client.get("/upload").get_data(as_text=True)
    assert '<select name="encoding">' in page
    for name in ("auto", "utf-8", "gb18030", "gbk", "big5", "utf-16", "windows-1252"):
        assert f'<option value="{name}"' in page


@pytest.mark.parametrize("case", ["gbk", "gb18030", "big5", "utf-16-le", "utf-16-be"])
def test_upload_detects_the_encoding_and_the_document_page_says_it(client, case):
    text, codec, expected = CASES[case]
    response = upload(client, text.encode(codec), f"{case}.txt")
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"read as {expected} (detected" in page  # the flash message
    assert f"encoding: {expected}" in page  # the document's metadata line
    assert text.split("\n")[0] in page


def test_upload_encoding_choice_overrides_detection(client):
    data = "你好".encode("gbk")  # too short to detect
    refused = upload(client, data + "。".encode("gbk"), "short.txt")
    assert refused.status_code == 400
    assert "cannot tell its encoding" in refused.get_data(as_text=True)
    assert upload(client, data, "s.txt", "koi8-r").status_code == 400  # not a choice
    response = upload(client, (ZH_TITLE + "\n\n" + ZH_SENTENCES[0]).encode("gbk"), "s.txt", "gbk")
    assert response.status_code == 302  # GBK is read as GB18030, its superset
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "read as gb18030 (as given)" in page and ZH_SENTENCES[0] in page


def test_upload_of_a_binary_file_is_refused_with_the_reason(client):
    response = upload(client, bytes(range(256)) * 8, "photo.txt")
    assert response.status_code == 400
    assert "looks like a binary file" in response.get_data(as_text=True)


def test_batch_translate_reads_legacy_encodings_and_says_so(db_path, installed_models, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big5.txt").write_bytes(BIG5_TEXT.encode("big5"))
    (folder / "gbk.txt").write_bytes(ZH_TEXT.encode("gbk"))
    out = tmp_path / "out"
    result = run("translate", str(folder), "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "big5.txt as big5 (detected" in result.output
    assert "gbk.txt as gb18030 (detected" in result.output
    assert sorted(p.name for p in (out / "in").iterdir()) == ["big5.en.txt", "gbk.en.txt"]
