"""atomic_write: the old file survives any failure, no temp files are left behind."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.formats.atomic import TargetError, atomic_write, resolve_target
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


def test_the_new_content_waits_in_a_hidden_file_beside_the_target(tmp_path: Path) -> None:
    """Beside it, so the final rename stays on one filesystem (atomic); hidden, so a
    listing or a glob for ``*.tmx`` never picks up a half-written export."""
    path = tmp_path / "out.tmx"
    path.write_bytes(b"old")
    with atomic_write(path) as fh:
        fh.write(b"new")
        (waiting,) = set(os.listdir(tmp_path)) - {"out.tmx"}
        assert waiting.startswith(".out.tmx.") and waiting.endswith(".tmp")
    assert os.listdir(tmp_path) == ["out.tmx"]


def test_a_file_name_in_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with atomic_write("here.txt", "w") as fh:
        fh.write("x")
    assert (tmp_path / "here.txt").read_text() == "x" and os.listdir(tmp_path) == ["here.txt"]


def test_text_mode_is_utf8_by_default_and_keeps_the_newline_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    with atomic_write(path, "w", newline="\r\n") as fh:
        fh.write("中文\n")
    assert path.read_bytes() == "中文\r\n".encode()


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "pipe")
    return tmp_path / "pipe"


def _dangling(tmp_path: Path) -> Path:
    (tmp_path / "link").symlink_to(tmp_path / "gone.tmx")
    return tmp_path / "link"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda tmp: "", "the output file name is empty"),
        (lambda tmp: tmp, "is a directory; give a file name"),
        (lambda tmp: tmp / "no" / "out.tmx", "the directory {tmp}/no does not exist"),
        (_fifo, "pipe is not a regular file (a device, FIFO or socket); refused"),
        (_dangling, "link is a symlink to {real}/gone.tmx, which does not exist"),
    ],
    ids=["empty", "directory", "missing directory", "fifo", "dangling symlink"],
)
def test_targets_that_are_refused_say_why(tmp_path: Path, make, message: str) -> None:
    target = make(tmp_path)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(TargetError) as refused, atomic_write(target) as fh:
        fh.write(b"never")
    assert message.format(tmp=tmp_path, real=os.path.realpath(tmp_path)) in str(refused.value)
    assert sorted(os.listdir(tmp_path)) == before  # nothing made, nothing replaced


def test_a_symlink_keeps_pointing_at_the_replaced_file(tmp_path: Path) -> None:
    real = tmp_path / "real.tmx"
    real.write_bytes(b"old")
    os.chmod(real, 0o640)
    (tmp_path / "link.tmx").symlink_to("real.tmx")
    assert resolve_target(tmp_path / "link.tmx") == real
    with atomic_write(tmp_path / "link.tmx") as fh:
        fh.write(b"new")
    assert (tmp_path / "link.tmx").is_symlink() and real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["link.tmx", "real.tmx"]
