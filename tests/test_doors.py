"""The right door for every file: `import`, `translate` and the upload form refuse
TMX, XLIFF, TBX and PO files, by content as well as by name, naming the command
that takes them; the other files of the same call still go through."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_support import ZH_TEXT, add_users, login

from workbench.cli import cli
from workbench.ingest.doors import interchange_kind, refusal
from workbench.store.db import connect
from workbench.web import create_app

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header srclang="en-US" datatype="plaintext" segtype="sentence"
 adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/>
<body><tu><tuv xml:lang="en-US"><seg>Hello.</seg></tuv>
<tuv xml:lang="zh-CN"><seg>你好。</seg></tuv></tu></body></tmx>"""
XLIFF12 = """<?xml version="1.0"?>
<!-- exported by a CAT tool -->
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="messages" source-language="en" target-language="zh-CN" datatype="plaintext">
<body><trans-unit id="1"><source>Save</source><target>保存</target></trans-unit></body>
</file></xliff>"""
XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="zh">
<file id="f1"><unit id="u1"><segment><source>Open</source><target>打开</target></segment></unit>
</file></xliff>"""
SDLXLIFF = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"
 xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" sdl:version="1.0">
<file original="a.docx" source-language="en-US" target-language="zh-CN"
 datatype="x-sdlfilterframework2"><body/></file></xliff>"""
TBX_MARTIF = """<?xml version='1.0'?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en"><text><body><termEntry id="t1">
<langSet xml:lang="en"><tig><term>harbour</term></tig></langSet>
<langSet xml:lang="zh"><tig><term>港口</term></tig></langSet></termEntry></body></text></martif>"""
TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<text><body><conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>port</term></termSec>
</langSec></conceptEntry></body></text></tbx>"""
PO = """# Chinese translations for the demo package.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: zh_CN\\n"

msgid "Save"
msgstr "保存"
"""
POT = """#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: demo 1.0\\n"

#: main.c:10
msgid "Open"
msgstr ""
"""

# (content, real name, the words that must be in the one-line refusal)
KINDS = {
    "tmx": (TMX, "memory.tmx", "workbench tm import"),
    "xliff-1.2": (XLIFF12, "messages.zh_CN.xlf", "workbench import-xliff"),
    "xliff-2.0": (XLIFF2, "app.xliff", "workbench import-xliff"),
    "sdlxliff": (SDLXLIFF, "report.docx.sdlxliff", "workbench import-xliff"),
    "mqxliff": (XLIFF12, "job.mqxliff", "workbench import-xliff"),
    "tbx-martif": (TBX_MARTIF, "glossary.tbx", "workbench terms import"),
    "tbx-3": (TBX3, "terms.tbx", "workbench terms import"),
    "po": (PO, "zh_CN.po", "does not read PO files"),
    "pot": (POT, "messages.pot", "does not read PO files"),
}


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("kind", KINDS)
def test_refusal_by_name_and_by_content(kind):
    content, name, command = KINDS[kind]
    by_name = refusal(name, b"")  # even an empty or unreadable head: the name says it
    by_content = refusal("article.txt", content.encode("utf-8"))
    assert by_name and command in by_name and by_name.startswith(f"{name}: ")
    assert by_content and command in by_content and "not an article" in by_content
    assert "\n" not in by_content  # one line
    utf16 = refusal("article.txt", content.encode("utf-16"))
    assert utf16 == by_content


FIXTURES = Path(__file__).parent / "fixtures" / "interchange"
REAL = {  # files other CAT tools wrote (tests/fixtures/interchange)
    "trados_studio_utf16.tmx": "workbench tm import",
    "omegat_project_save.tmx": "workbench tm import",
    "matecat_export.tmx": "workbench tm import",
    "memoq_export.mqxliff": "workbench import-xliff",
    "omegat_translated.xlf": "workbench import-xliff",
}


@pytest.mark.parametrize("name", REAL)
def test_files_other_tools_wrote_are_recognised_by_content(name):
    data = (FIXTURES / name).read_bytes()
    assert REAL[name] in refusal("renamed.txt", data)
    assert REAL[name] in refusal(name, b"")


def test_articles_are_not_interchange_files():
    page = b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html><body><p>msgid</p></body></html>'
    assert interchange_kind("page.html", page) is None
    prose = b"He typed msgid and msgstr into the editor.\nThen <xliff> files."
    assert interchange_kind("notes.txt", prose) is None
    assert interchange_kind("news.txt", ZH_TEXT.encode()) is None
    assert interchange_kind("app.ts", b"export const x = 1;\n") is None  # TypeScript


def test_the_command_named_takes_the_file():
    kind, command = interchange_kind("memory.txt", TMX.encode())
    assert (kind, command) == ("tmx", "workbench tm import memory.txt")
    assert interchange_kind("x.xlf", b"")[1] == "workbench import-xliff x.xlf"
    assert interchange_kind("x.po", b"") == ("po", None)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("named", ["by-name", "by-content"])
def test_import_refuses_it_and_imports_the_rest(kind, named, db_path, installed_models, tmp_path):
    content, name, command = KINDS[kind]
    path = tmp_path / (name if named == "by-name" else "article.txt")
    path.write_text(content, "utf-8")
    good = tmp_path / "harbour.txt"
    good.write_text(ZH_TEXT, "utf-8")
    result = run("import", str(path), str(good), "--db", str(db_path))
    assert result.exit_code == 1
    refused = [line for line in result.output.splitlines() if line.startswith("Skipped")]
    assert len(refused) == 1 and command in refused[0] and "not an article" in refused[0]
    assert "Imported" in result.output
    documents = list(connect(db_path)["documents"].rows)
    assert [d["filename"] for d in documents] == ["harbour.txt"]


@pytest.mark.parametrize("kind", ["tmx", "xliff-1.2", "tbx-martif", "po"])
def test_translate_refuses_it_by_content_and_translates_the_rest(
    kind, db_path, installed_models, tmp_path
):
    content, _, command = KINDS[kind]
    path = tmp_path / "disguised.txt"
    path.write_text(content, "utf-8")
    good = tmp_path / "harbour.txt"
    good.write_text(ZH_TEXT, "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = run("translate", str(path), str(good), "-o", str(out), "--db", str(db_path))
    assert result.exit_code == 1
    assert command in result.output and "not an article" in result.output
    assert "Translated 1 document(s)" in result.output
    assert [p.name for p in out.iterdir()] == ["harbour.en.txt"]


@pytest.fixture
def client(db_path, installed_models):
    connect(db_path).close()
    add_users(db_path)
    return login(create_app(str(db_path), TESTING=True).test_client(), "rita")


@pytest.mark.parametrize("kind", ["xliff-1.2", "tbx-martif", "po", "tmx"])
def test_upload_refuses_it_with_the_same_message(client, kind):
    content, name, command = KINDS[kind]
    for filename in ([name] if kind != "tmx" else []) + ["article.txt"]:
        response = client.post(
            "/upload",
            data={"file": (io.BytesIO(content.encode()), filename), "project": "P"},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        expected = refusal(filename, content.encode())
        assert command in expected
        assert expected.replace("`", "&#96;") in page or expected in page
    assert client.get("/api/documents").get_json() == []
