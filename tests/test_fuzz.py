"""Property-based tests (Hypothesis): arbitrary input to every reader (txt, md, html,
docx), the TMX and XLIFF readers and the JSON API gives a result or a clear error within
a time bound, never a traceback or a hang. Crashes found are kept as @example cases."""

from __future__ import annotations

import io
import json
import os
from datetime import timedelta
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from review_support import add_users, docx_bytes, import_harbour, login, segments

from workbench.formats.tmx import read_tmx
from workbench.formats.units import InterchangeError
from workbench.formats.xliff import read_xliff
from workbench.ingest import readers
from workbench.store.db import connect
from workbench.web import create_app

FUZZ = settings(
    # a longer campaign: WORKBENCH_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py
    max_examples=int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", "150")),
    deadline=timedelta(seconds=3),  # per example: generous on a loaded 2-core machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MARKUP = st.text(alphabet="[]()!*_`#>-|\\<>/=\"' \n\t\r中文aZ0&;:", max_size=3000)
TEXT = st.text(max_size=300)


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".md", ".html", ".docx"]))
@example(data=b"\xef\xbb\xbf", suffix=".txt")
@example(data=b"PK\x03\x04" + b"\x00" * 30, suffix=".docx")
def test_readers_on_arbitrary_bytes(data, suffix):
    try:
        text = readers.document_text(data, "input" + suffix)
    except readers.InputError as error:
        assert str(error)
    else:
        assert isinstance(text, str)


@FUZZ
@given(source=MARKUP)
@example(source="[" * 3000)
@example(source="![" * 1500)
@example(source="---\n---")
def test_markdown_on_arbitrary_markup(source):
    assert isinstance(readers.markdown_text(source), str)


@FUZZ
@given(source=MARKUP)
@example(source="<" * 3000)
def test_html_on_arbitrary_markup(source):
    try:
        assert isinstance(readers.document_text(source.encode("utf-8", "surrogatepass"),
                                                "page.html"), str)  # fmt: skip
    except readers.InputError as error:
        assert str(error)


@FUZZ
@given(paragraphs=st.lists(TEXT, max_size=20))
def test_docx_with_arbitrary_paragraphs(paragraphs):
    clean = ["".join(c for c in p if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)
             for p in paragraphs]  # fmt: skip
    try:
        text = readers.document_text(docx_bytes(clean), "doc.docx")
    except readers.InputError as error:
        assert str(error)
    else:
        assert all(p.strip() in text for p in clean)


def tmx_document(source: str, target: str, attrs: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"'
        f' datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x"{attrs}/><body>'
        f'<tu><tuv xml:lang="en"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="zh"><seg>{target}</seg></tuv></tu></body></tmx>'
    ).encode("utf-8", "surrogatepass")


DATES = st.sampled_from(["", ' creationdate="x"', ' creationdate="20240101T000000Z"'])


@FUZZ
@given(source=MARKUP, target=MARKUP, escaped=st.booleans(), attrs=DATES)
def test_tmx_on_arbitrary_content(source, target, escaped, attrs):
    if escaped:
        source, target = escape(source), escape(target)
    try:
        units = read_tmx(io.BytesIO(tmx_document(source, target, attrs))).units
        list(units)
    except InterchangeError as error:
        assert str(error)


@FUZZ
@given(data=st.binary(max_size=3000))
def test_tmx_and_xliff_on_arbitrary_bytes(data):
    for reader in (read_tmx, read_xliff):
        try:
            result = reader(io.BytesIO(data))
            list(getattr(result, "units", None) or getattr(result, "segments", []))
        except InterchangeError as error:
            assert str(error)


@FUZZ
@given(source=MARKUP, target=MARKUP, state=st.sampled_from(["new", "translated", "final", "x"]),
       resname=st.text(alphabet="wb:v0123456789", max_size=60))  # fmt: skip
def test_xliff_on_arbitrary_content(source, target, state, resname):
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="a.txt" source-language="zh" target-language="en" datatype="plaintext">'
        f'<body><trans-unit id="1" resname="{escape(resname)}"><source>{escape(source)}</source>'
        f'<target state="{state}">{escape(target)}</target></trans-unit></body></file></xliff>'
    ).encode("utf-8", "surrogatepass")
    try:
        read_xliff(io.BytesIO(document))
    except InterchangeError as error:
        assert str(error)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "w.db"
    connect(path).close()
    add_users(path)
    doc = import_harbour(path)
    client = login(create_app(str(path), TESTING=True).test_client(), "tom")
    return client, segments(path, doc)


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(["target", "status", "version", "note", "edit_ms", "op",
                         "source_offset", "target_offset", "to_version"]),
        JSON_VALUES, max_size=5,
    ) | JSON_VALUES,
    route=st.sampled_from(["PUT segment", "repair", "revert", "bulk-approve", "segments"]),
)  # fmt: skip
@example(body={"target": "x", "version": 2**64}, route="PUT segment")
@example(body={"op": "split", "source_offset": 2**70, "target_offset": -1}, route="repair")
def test_the_json_api_answers_json_for_any_body(api, body, route):
    client, rows = api
    segment = rows[2]["id"]
    url, method = {
        "PUT segment": (f"/api/segments/{segment}", "PUT"),
        "repair": (f"/api/segments/{segment}/repair", "POST"),
        "revert": (f"/api/segments/{segment}/revert", "POST"),
        "bulk-approve": (f"/api/documents/{rows[0]['document_id']}/bulk-approve", "POST"),
        "segments": (f"/api/documents/{rows[0]['document_id']}/segments", "GET"),
    }[route]
    if method == "GET":
        query = {k: json.dumps(v) for k, v in body.items()} if isinstance(body, dict) else {}
        response = client.get(url, query_string=query)
    else:
        response = client.open(url, method=method, data=json.dumps(body),
                               content_type="application/json")  # fmt: skip
    assert response.status_code in (200, 400, 403, 404, 409, 413), response.status_code
    assert response.is_json
    if response.status_code != 200:
        assert response.get_json()["error"]
    if route == "repair" and response.status_code == 200:  # undo it: keep the document usable
        client.post(f"/api/documents/{rows[0]['document_id']}/undo")
