"""atomic_write: the old file survives any failure, no temp files are left behind."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.formats.atomic import atomic_write
from workbench.formats.tmx import read_tmx, write_tmx
from workbench.formats.units import TranslationUnit
from workbench.formats.xliff import XliffDocument, XliffSegment, read_xliff, write_xliff


def test_success_replaces_file(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with atomic_write(path) as fh:
        fh.write(b"new content")
        assert path.read_bytes() == b"old"  # nothing visible until the end
    assert path.read_bytes() == b"new content"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_failure_midway_keeps_old_file_and_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"precious")
    with pytest.raises(RuntimeError, match="boom"), atomic_write(path) as fh:
        fh.write(b"half a file")
        raise RuntimeError("boom")
    assert path.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_failure_does_not_create_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "never.txt"
    with pytest.raises(ValueError, match="the writer failed"), atomic_write(path, "w") as fh:
        fh.write("partial")
        raise ValueError("the writer failed")
    assert os.listdir(tmp_path) == []


def test_keyboard_interrupt_also_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_write(path, "w") as fh:
        fh.write("x")
        raise KeyboardInterrupt
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_text_mode_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    with atomic_write(path, "w", encoding="utf-16") as fh:
        fh.write("中文")
    assert path.read_text(encoding="utf-16") == "中文"


def test_permissions(tmp_path: Path) -> None:
    existing = tmp_path / "kept.txt"
    existing.write_text("x")
    os.chmod(existing, 0o640)
    with atomic_write(existing, "w") as fh:
        fh.write("y")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.txt"
    with atomic_write(fresh, "w") as fh:
        fh.write("z")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600


def test_bad_mode() -> None:
    with (
        pytest.raises(ValueError, match="mode must be 'wb' or 'w', not 'a'"),
        atomic_write("x", "a"),
    ):
        pass


def test_writers_compose_with_atomic_write(tmp_path: Path) -> None:
    tmx_path = tmp_path / "m.tmx"
    unit = TranslationUnit("Hello", "你好", "en", "zh", tuid="1")
    with atomic_write(tmx_path) as fh:
        write_tmx([unit], fh)
    assert read_tmx(tmx_path).units == [unit]

    xlf_path = tmp_path / "d.xlf"
    doc = XliffDocument("d.txt", segments=[XliffSegment("1", "Hello", "你好", "translated")])
    with atomic_write(xlf_path) as fh:
        write_xliff(doc, fh)
    assert read_xliff(xlf_path) == doc


def test_tmx_writer_raising_midway_leaves_old_export_intact(tmp_path: Path) -> None:
    path = tmp_path / "export.tmx"
    good = [TranslationUnit(f"s{i}", f"句{i}", "en", "zh") for i in range(3)]
    write_tmx(good, path)
    before = path.read_bytes()

    def units() -> Iterator[TranslationUnit]:
        for i in range(5000):
            if i == 4000:
                raise RuntimeError("lost the database connection")
            yield TranslationUnit(f"new {i}", f"新 {i}", "en", "zh")

    with pytest.raises(RuntimeError), atomic_write(path) as fh:
        write_tmx(units(), fh)
    assert path.read_bytes() == before
    assert [u.source for u in read_tmx(path).units] == ["s0", "s1", "s2"]
    assert os.listdir(tmp_path) == ["export.tmx"]
