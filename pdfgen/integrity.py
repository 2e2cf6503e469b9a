"""Proof that archived files were not altered: recompute each SHA-256."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage

from .models import ArchivedDocument

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Finding:
    reference: str
    name: str
    problem: str  # "missing" or "altered"
    detail: str = ""


def file_sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
            yield Finding(reference, name, "altered", f"stored {doc.sha256}, now {actual}")
        else:
            yield None
