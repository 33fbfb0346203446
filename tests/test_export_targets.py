"""`workbench export -o`: what it may write into. A device, a FIFO or a directory is
refused; a symlink is followed (the file it points to is replaced, the link stays); OS
errors are one line and exit 3, never a traceback, and the old file is never damaged.
CSV/TSV cells that a spreadsheet would run as formulas are escaped by default."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess

import pytest
from click.testing import CliRunner
from review_support import import_harbour

from workbench.cli import cli
from workbench.review.saves import save_segment
from workbench.store.db import connect


@pytest.fixture
def approved_db(db_path):
    """The harbour article with every segment approved; one target starts with '='."""
    connect(db_path).close()
    doc = import_harbour(db_path)
    db = connect(db_path)
    rows = list(db.query("SELECT * FROM segments WHERE document_id = ? AND translate", [doc]))
    for number, row in enumerate(rows):
        target = '=HYPERLINK("http://evil")' if number == 0 else row["target"] or "Text."
        save_segment(
            db, row["id"], base_version=row["version"], author="rita", target=target,
            status="approved",
        )  # fmt: skip
    db.close()
    return db_path


def export(db_path, *args: str):
    return CliRunner().invoke(cli, ["export", "--db", str(db_path), *args])


def test_a_device_is_refused_and_stays_a_device(approved_db, tmp_path):
    # A device node of our own (the null device), never the system's /dev/null: the
    # bug this catches turned the device into a regular file.
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    result = export(approved_db, "-o", str(device))
    assert result.exit_code == 3, result.output
    assert "not a regular file" in result.output and "Traceback" not in result.output
    assert stat.S_ISCHR(device.stat().st_mode)


def test_a_fifo_is_refused(approved_db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = export(approved_db, "-o", str(fifo), "--format", "csv")
    assert result.exit_code == 3 and "not a regular file" in result.output
    assert fifo.is_fifo()


def test_a_directory_or_an_empty_name_is_refused_without_a_traceback(approved_db, tmp_path):
    for target in (str(tmp_path), ""):
        result = export(approved_db, "-o", target)
        assert result.exit_code != 0, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output


def test_a_missing_directory_is_one_line_and_exit_3(approved_db, tmp_path):
    result = export(approved_db, "-o", str(tmp_path / "no" / "such" / "out.tmx"))
    assert result.exit_code == 3
    assert "does not exist" in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_directory_is_one_line_and_exit_3(approved_db, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = export(approved_db, "-o", str(locked / "out.tmx"))
    assert result.exit_code == 3 and "Permission denied" in result.output


def test_a_symlink_is_followed_and_kept(approved_db, tmp_path):
    real = tmp_path / "real.tmx"
    real.write_text("old")
    link = tmp_path / "link.tmx"
    link.symlink_to(real)
    result = export(approved_db, "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "<tmx" in real.read_text()
    dangling = tmp_path / "dangling.tmx"
    dangling.symlink_to(tmp_path / "nowhere.tmx")
    refused = export(approved_db, "-o", str(dangling))
    assert refused.exit_code == 3 and "does not exist" in refused.output


def test_a_full_disk_keeps_the_old_file_and_says_so(approved_db, tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode().strip()}")
    try:
        old = mount / "out.csv"
        old.write_text("previous good export\n")
        (mount / "filler").write_bytes(b"x" * 8 * 1024)
        db = connect(approved_db)
        db.execute("UPDATE segments SET target = ? WHERE translate", ["long text " * 400])
        db.conn.commit()
        db.close()
        result = export(approved_db, "-o", str(old), "--format", "csv")
        assert result.exit_code == 3, result.output
        assert "No space left" in result.output and "Traceback" not in result.output
        assert old.read_text() == "previous good export\n"
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_formulas_are_escaped_by_default_in_csv_and_tsv(approved_db, tmp_path):
    for fmt in ("csv", "tsv"):
        out = tmp_path / f"out.{fmt}"
        assert export(approved_db, "-o", str(out), "--format", fmt).exit_code == 0
        rows = list(csv.reader(io.StringIO(out.read_text("utf-8")), delimiter="," if fmt == "csv"
                               else "\t"))  # fmt: skip
        targets = [row[4] for row in rows[1:]]
        assert '\'=HYPERLINK("http://evil")' in targets
        assert not any(t.startswith(("=", "+", "-", "@")) for t in targets)
    raw = tmp_path / "raw.csv"
    assert (
        export(approved_db, "-o", str(raw), "--format", "csv", "--no-escape-formulas").exit_code
        == 0
    )
    assert '"=HYPERLINK(""http://evil"")"' in raw.read_text("utf-8")
