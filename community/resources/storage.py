"""Where uploaded files live: a small interface, so that another backend can come later.

``FileStorage`` keeps files under ``INSTANCE/uploads/`` with names the server
chooses (random, 32 hex digits): the client's file name never reaches the
file system. A file is written to a temporary name in the same folder,
flushed and renamed into place, so a crash or a second process never sees
half a file. An object store would implement the same three calls.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

_NAME_CHARS = frozenset("0123456789abcdef")


class Storage(Protocol):
    def save(self, data: bytes) -> str:
        """Store ``data``; returns the new stored name."""

    def open(self, name: str) -> BinaryIO:
        """The stored file for reading; ``FileNotFoundError`` if there is none."""

    def delete(self, name: str) -> None:
        """Remove the stored file; no error if it is already gone."""


class FileStorage:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, name: str) -> Path:
        if len(name) != 32 or not set(name) <= _NAME_CHARS:  # only names we made ever reach the disk
            raise FileNotFoundError(name)
        return self.folder / name

    def save(self, data: bytes) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(16)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self._path(name))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name

    def open(self, name: str) -> BinaryIO:
        return self._path(name).open("rb")

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


def storage() -> Storage:
    """The app's storage (``INSTANCE/uploads``)."""
    return FileStorage(Path(current_app.config["INSTANCE"]) / "uploads")
