"""Turn an input file's bytes into text, or refuse it with a reason a user can act on."""

from __future__ import annotations

import codecs
from pathlib import Path

MAX_INPUT_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """An input that cannot be read as an article; the message says why and what to do."""


def check_size(size: int, name: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise InputError(
            f"{name}: {size / 1e6:.1f} MB is more than the {MAX_INPUT_BYTES / 1e6:.0f} MB"
            " limit for one article; split it into several files"
        )


def decode_text(data: bytes, name: str = "input", encoding: str | None = None) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; refuse anything else.

    GBK/GB18030 files are common for Chinese text but cannot be told apart from
    other legacy encodings reliably, so they are refused with the option that
    reads them rather than guessed at.
    """
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    check_size(len(data), name)
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise InputError(f"{name}: cannot decode as {encoding}: {error}") from error
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data[:65536]:
            raise InputError(f"{name}: looks like a binary file (it contains NUL bytes)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            hint = ""
            try:
                data.decode("gb18030")
                hint = "; it decodes as GBK/GB18030: convert it to UTF-8 or pass --encoding gbk"
            except UnicodeDecodeError:
                pass
            raise InputError(
                f"{name}: not valid UTF-8 (byte {error.start}){hint or '; convert it to UTF-8'}"
            ) from error
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name}: looks like a binary file ({controls} control characters)")
    if not text.strip():
        raise InputError(f"{name}: the file has no text")
    return text


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """Read a plain-text article from disk."""
    path = Path(path)
    try:
        check_size(path.stat().st_size, str(path))
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from error
    return decode_text(data, str(path), encoding)
