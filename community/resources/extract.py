"""What an uploaded file is (from its bytes), and the text inside it, within bounds.

``sniff(data)`` names the type from the content, never from the client:
``%PDF`` is a PDF, a zip holding ``word/document.xml`` a DOCX, the PNG,
JPEG, GIF and WebP signatures images, anything that decodes as UTF-8 plain
text, and everything else ``application/octet-stream``. So an uploaded
HTML or SVG file is text, and is served as text.

``extract_text(data, content_type, ...)`` returns the text search should
index, or None: the type has no text, or the file could not be read
within the limits (a truncated PDF, a PDF with a million objects, a zip
bomb disguised as a DOCX). None means "stored, found by title only"; it
never raises for a hostile file. PDF and DOCX are parsed in a separate
Python process (this file, run as a script) with a wall-clock timeout and
a memory cap (``RLIMIT_AS``): a parser that loops or balloons is killed
there, and the server process, which under gevent serves every other
connection meanwhile, only waits on a pipe. Plain text and Markdown are
decoded in-process: that is bounded by the upload limit and costs microseconds.

This module imports only the standard library at the top, so the worker
starts without Flask.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
BINARY = "application/octet-stream"
IMAGES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF87a": "image/gif",
          b"GIF89a": "image/gif"}
#: The types whose text is extracted (search finds words inside them).
WITH_TEXT = (PDF, DOCX, TEXT)

#: A DOCX may unpack to at most this much, in at most this many parts, each compressed at most this much.
DOCX_UNPACKED_MAX = 100 * 1024 * 1024
DOCX_PARTS_MAX = 2000
DOCX_RATIO_MAX = 200


def sniff(data: bytes) -> str:
    """The content type of ``data``, from its first bytes (and, for a zip, its table of contents)."""
    if data.startswith(b"%PDF-"):
        return PDF
    for signature, content_type in IMAGES.items():
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else BINARY
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return BINARY
    return TEXT if "\x00" not in text else BINARY


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # reads the central directory only
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


def docx_is_safe(data: bytes) -> bool:
    """False for a zip that would unpack to too much (a zip bomb), checked before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False
    if len(parts) > DOCX_PARTS_MAX or sum(p.file_size for p in parts) > DOCX_UNPACKED_MAX:
        return False
    return all(p.file_size <= max(p.compress_size, 1) * DOCX_RATIO_MAX for p in parts)


def _clip(text: str, chars: int) -> str:
    return text[:chars]


def text_of_pdf(data: bytes, pages: int, chars: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    out: list[str] = []
    total = 0
    for number, page in enumerate(reader.pages):
        if number >= pages or total >= chars:
            break
        text = page.extract_text() or ""
        out.append(text)
        total += len(text) + 1
    return _clip("\n".join(out), chars)


def text_of_docx(data: bytes, chars: int) -> str:
    if not docx_is_safe(data):
        raise ValueError("the archive would unpack to too much")
    import docx

    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    total = 0
    for paragraph in document.paragraphs:
        out.append(paragraph.text)
        total += len(paragraph.text) + 1
        if total >= chars:
            break
    for table in document.tables:
        if total >= chars:
            break
        for row in table.rows:
            for cell in row.cells:
                out.append(cell.text)
                total += len(cell.text) + 1
    return _clip("\n".join(out), chars)


def _limit_memory(megabytes: int):
    def apply():
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def extract_text(data: bytes, content_type: str, *, seconds: float, pages: int, chars: int,
                 memory_mb: int) -> str | None:
    """The text inside ``data`` (of the sniffed ``content_type``), at most ``chars`` characters, or None."""
    if content_type == TEXT:
        return _clip(data.decode("utf-8", errors="replace"), chars)
    if content_type not in (PDF, DOCX):
        return None
    command = [sys.executable, "-I", os.path.abspath(__file__), content_type, str(pages), str(chars)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=seconds,
                              preexec_fn=_limit_memory(memory_mb) if os.name == "posix" else None)
    except (subprocess.TimeoutExpired, OSError):
        return None  # subprocess.run kills the worker on a timeout
    if done.returncode != 0:
        return None
    try:
        text = json.loads(done.stdout)["text"]
    except (ValueError, KeyError, TypeError):
        return None
    return text if isinstance(text, str) else None


def _worker() -> int:
    """Run as a script: read a file on stdin, print ``{"text": …}``; exit 1 if it cannot be read."""
    content_type, pages, chars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    data = sys.stdin.buffer.read()
    try:
        text = text_of_pdf(data, pages, chars) if content_type == PDF else text_of_docx(data, chars)
    except Exception as error:  # any parser failure on a hostile file: stored, unsearchable
        sys.stderr.write(f"{type(error).__name__}: {error}\n")
        return 1
    sys.stdout.write(json.dumps({"text": text}))
    return 0


if __name__ == "__main__":
    sys.exit(_worker())
