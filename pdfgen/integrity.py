"""Proof that archived files were not altered: recompute each SHA-256."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage

from intake.crypto import DecryptionError

from . import storage
from .models import ArchivedDocument


@dataclass(frozen=True)
class Finding:
    reference: str
    name: str
    problem: str  # "missing" or "altered"
    detail: str = ""


def file_sha256(name: str) -> str:
    """The SHA-256 of the archived PDF (decrypted); "" when its ciphertext was altered."""
    try:
        return hashlib.sha256(storage.read_file(name)).hexdigest()
    except DecryptionError:
        return ""


def verify_archive() -> Iterator[Finding | None]:
    """Yield a Finding for each missing or altered file, None for each file that is intact."""
    documents = (
        ArchivedDocument.objects.exclude(sha256="").select_related("submission").order_by("pk").iterator(chunk_size=500)
    )
    for doc in documents:
        reference, name = doc.submission.reference, doc.file.name or ""
        if not name or not default_storage.exists(name):
            yield Finding(reference, name, "missing")
            continue
        actual = file_sha256(name)
        if actual != doc.sha256:
            yield Finding(reference, name, "altered", f"stored {doc.sha256}, now {actual or 'undecryptable'}")
        else:
            yield None
