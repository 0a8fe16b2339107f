"""Reading user input safely: one clear error message per bad input, never a traceback, never
a hang (pipes and devices are read with a time limit, special files in folders are refused)."""

from __future__ import annotations

import codecs
import errno
import os
import re
import select
import stat
from pathlib import Path

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: How long a named pipe or device may stay silent before it is given up on.
PIPE_WAIT_SECONDS = 30.0

# Frequent English function words: English prose of any register has many of them, other
# languages written in Latin script very few.
_EN_FUNCTION = frozenset(
    """the of and to a in is that it was for on are with as i his they be at one have this from
    by not but what all were we when your can said there an each which she do how their if will
    up other about out many then them these so some her would make like him into time has look
    two more go see no way could people my than been who its now did get come made may part
    you he me our us just over also after should because any am does had very""".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
#: Texts of 8-19 words get a stricter vocabulary test than longer ones: on 37,067 sentences of
#: 8-19 words of the human train/valid texts it refuses 3 (two lists of Polish and Nigerian place
#: names and a French quotation); it refuses 8 of 12 short sentences we wrote in nine other
#: languages (French, with its shared vocabulary, mostly passes). Shorter texts are let through.
SHORT_MIN_WORDS = 8
#: The language check reads at most this many characters (three slices: start, middle, end),
#: so checking a 10 MB text costs what checking 150 KB does.
LANGUAGE_SAMPLE_CHARS = 150_000


class InputError(ValueError):
    """A bad input; ``str(e)`` is the one-line message for the user."""


def _utf16_hint(data: bytes) -> str:
    """A hint when NUL-laden bytes look like UTF-16 without a byte-order mark."""
    sample = data[:8192]
    even, odd = sample[0::2], sample[1::2]
    if not odd:
        return ""
    for zeros, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.4 * len(zeros) and other.count(0) <= 0.05 * len(other):
            return f"; it looks like UTF-16 text without a byte-order mark: try --encoding {enc}"
    return ""


def decode_bytes(data: bytes, encoding: str | None = None, name: str = "input") -> str:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or ``encoding`` if given.

    Text with NUL characters is refused as binary whatever the encoding; so is text that is
    not valid Unicode (unpaired surrogates, as ``unicode_escape`` can produce)."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError as e:
            what = "not a text encoding" if "text encoding" in str(e) else "unknown encoding"
            raise InputError(f"{name}: {what} {encoding!r}") from None
        except UnicodeError as e:
            where = f" (byte {e.start})" if isinstance(e, UnicodeDecodeError) else ""
            raise InputError(f"{name}: cannot be decoded as {encoding}{where}") from None
        except Exception as e:  # noqa: BLE001 - a codec may raise anything on bad bytes
            raise InputError(f"{name}: cannot be decoded as {encoding} ({e})") from None
        if not isinstance(text, str):
            raise InputError(f"{name}: {encoding!r} is not a text encoding")
    else:
        if data.startswith(codecs.BOM_UTF8):
            data, enc = data[3:], "utf-8"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            enc = "utf-16"
        else:
            enc = "utf-8"
            if b"\x00" in data[:8192]:
                raise InputError(
                    f"{name}: binary file (contains NUL bytes), not text{_utf16_hint(data)}"
                )
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            raise InputError(
                f"{name}: not valid {enc.upper()} (undecodable byte at offset {e.start}); "
                "use --encoding to name the encoding"
            ) from None
    if "\x00" in text:
        raise InputError(
            f"{name}: binary file (contains NUL characters), not text{_utf16_hint(data)}"
        )
    check_unicode(text, name)
    return text


def check_unicode(text: str, name: str) -> None:
    """Refuse text with unpaired surrogates (not Unicode text; e.g. from ``unicode_escape``)."""
    m = _SURROGATE_RE.search(text)
    if m:
        raise InputError(
            f"{name}: not valid Unicode text (unpaired surrogate U+{ord(m.group()):04X} at "
            f"character {m.start()})"
        )


def _kind(mode: int) -> str:
    for test, what in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return what
    return "not a regular file"


def stat_error(path: str | Path, e: OSError) -> str:
    """The one-line reason why ``path`` cannot be opened (missing, broken link, loop, …)."""
    name = str(path)
    if isinstance(e, FileNotFoundError):
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return f"{name}: broken symbolic link (its target does not exist)"
        except OSError:
            pass
        return f"{name}: no such file"
    if e.errno == errno.ELOOP:
        return f"{name}: symbolic link loop"
    if isinstance(e, PermissionError):
        return f"{name}: permission denied"
    if isinstance(e, NotADirectoryError):
        return f"{name}: no such file (a part of the path is not a folder)"
    return f"{name}: cannot read ({e.strerror or e})"


def read_text_file(
    path: str | Path,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    special: bool = True,
) -> str:
    """Read and decode a text file, or raise InputError with a one-line reason.

    A regular file is read up to ``max_bytes``. A named pipe or device (``<(cat a.txt)``) is
    read with a time limit when ``special`` (a pipe nobody writes to never hangs the run);
    otherwise, and for sockets, it is refused without being opened."""
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise InputError(stat_error(path, e)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name}: is a directory (use `mtdetect label` for folders)")
    if stat.S_ISREG(st.st_mode):
        if st.st_size > max_bytes:
            raise InputError(
                f"{name}: file is {st.st_size:,} bytes, over the limit of {max_bytes:,} "
                "(raise it with --max-bytes)"
            )
        try:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as e:
            raise InputError(stat_error(path, e)) from None
    elif special and not stat.S_ISSOCK(st.st_mode):
        data = _read_special(path, max_bytes)
    else:
        raise InputError(f"{name}: {_kind(st.st_mode)}, not a regular file; not read")
    if len(data) > max_bytes:
        raise InputError(f"{name}: input is over the limit of {max_bytes:,} bytes")
    return decode_bytes(data, encoding, name)


def _read_special(path: str | Path, max_bytes: int) -> bytes:
    """Read a pipe or device without blocking forever: opened non-blocking (a FIFO with no
    writer would block ``open`` itself), each read waits at most PIPE_WAIT_SECONDS."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise InputError(stat_error(path, e)) from None
    chunks, size = [], 0
    try:
        poll = select.poll()
        poll.register(fd, select.POLLIN | select.POLLHUP)
        while size <= max_bytes:
            if not poll.poll(PIPE_WAIT_SECONDS * 1000):
                what = "nothing to read" if not size else "input stalled"
                raise InputError(f"{name}: {what} after {PIPE_WAIT_SECONDS:g} s (no writer?)")
            try:
                block = os.read(fd, 1 << 16)
            except BlockingIOError:
                continue
            if not block:
                break
            chunks.append(block)
            size += len(block)
    except OSError as e:
        raise InputError(stat_error(path, e)) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _english_vocabulary_share(words: list[str], zipf: float = 2.0) -> float:
    """Share of words that English uses at all (Zipf ≥ 2): rescues headlines and lists; with
    ``zipf=3``, the share of common English words."""
    from mtdetect import refstats

    return float((refstats.load().zipf(words) >= zipf).mean())


def _sample(text: str) -> str:
    """The text, or for a long one its start, middle and end (LANGUAGE_SAMPLE_CHARS in all)."""
    if len(text) <= LANGUAGE_SAMPLE_CHARS:
        return text
    k = LANGUAGE_SAMPLE_CHARS // 3
    mid = len(text) // 2
    return "\n".join((text[:k], text[mid - k // 2 : mid + k // 2], text[-k:]))


def check_text(text: str, name: str = "input") -> None:
    """Refuse what is not text to score: not a ``str``, not valid Unicode, empty, or clearly
    not English (short text is let through). Invisible characters and look-alike letters are
    undone first (:mod:`mtdetect.normalize`), as the analysis will."""
    from mtdetect.normalize import clean

    if not isinstance(text, str):
        hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, bytes) else ""
        raise InputError(f"{name}: text must be a str, not {type(text).__name__}{hint}")
    check_unicode(text, name)
    if not text.strip():
        raise InputError(f"{name}: empty text, nothing to score")
    text = clean(_sample(text)).text
    if not text.strip():
        raise InputError(f"{name}: only invisible characters, nothing to score")
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 20:
        latin = sum(1 for c in letters if c < "\u0250")
        if latin / len(letters) < 0.5:
            raise InputError(f"{name}: text is not in English (mostly non-Latin script)")
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if len(words) < SHORT_MIN_WORDS:
        return
    share = sum(w in _EN_FUNCTION for w in words) / len(words)
    if len(words) >= 20:
        foreign = share < 0.08 and _english_vocabulary_share(words) < 0.85
    else:  # 8-19 words: few function words and mostly uncommon English words
        foreign = share < 0.12 and _english_vocabulary_share(words, 3.0) < 0.5
    if foreign:
        raise InputError(
            f"{name}: text does not look like English ({share:.0%} English function words); "
            "mtdetect scores English only"
        )
