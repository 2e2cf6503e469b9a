"""Archived PDFs and bundles at rest: encrypted like the resident's fields (intake.sealed).

The archive is the legal record and prints what the paper form prints, the
주민등록번호 included; the stored file is sealed, and it is decrypted only
here, when it is served (a download with a logged reason), bundled or checked.
The SHA-256 kept per file is of the PDF itself, so rotating keys never
changes it.
"""

from intake import sealed

from .models import ArchivedDocument

ARCHIVE_FOLDER = "archive"
BUNDLE_FOLDER = "bundles"


def register_folders() -> None:
    sealed.register_folder(ARCHIVE_FOLDER)
    sealed.register_folder(BUNDLE_FOLDER)


def store(name: str, content: bytes) -> str:
    """Seal and store an archived PDF or a bundle; return the name the storage gave it."""
    return sealed.save(name, content)


def read_file(name: str) -> bytes:
    """An archived file's PDF bytes; raises intake.crypto.DecryptionError when it was altered."""
    return sealed.read(name)


def read_pdf(doc: ArchivedDocument) -> bytes:
    return read_file(doc.file.name or "")
