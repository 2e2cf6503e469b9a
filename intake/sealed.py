"""Personal files at rest (uploaded ID copies, seal images, archived PDFs), encrypted.

Files go through Django's storage API as usual, but what the storage holds is
sealed with the field keys (intake.crypto): a copy of media/ or of the bucket
reveals nothing without FIELD_ENCRYPTION_KEYS. Files are decrypted only when
served or embedded, and re-encrypted with the newest key by
`rotate_encryption_keys`, like the encrypted fields.

A file stored before files were encrypted reads as it is, so an upgrade keeps
working until the rotation command has sealed it.
"""

import os
import tempfile
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from . import crypto

# Folders holding sealed files; key rotation walks them all (apps add theirs in ready()).
FOLDERS: list[str] = ["uploads"]


def register_folder(folder: str) -> None:
    if folder not in FOLDERS:
        FOLDERS.append(folder)


def save(name: str, data: bytes) -> str:
    """Store `data` sealed under `name` (or the free name the storage picks); return the name."""
    return default_storage.save(name, ContentFile(crypto.encrypt_bytes(data)))


def read(name: str) -> bytes:
    """The file's plain bytes; raises crypto.DecryptionError if it was altered or its key is gone."""
    with default_storage.open(name, "rb") as handle:
        blob: bytes = handle.read()
    return crypto.decrypt_bytes(blob) if crypto.is_sealed(blob) else blob


def files() -> Iterator[str]:
    """Every file in the sealed folders, at any depth."""
    for folder in FOLDERS:
        yield from files_in(folder)


def files_in(folder: str) -> Iterator[str]:
    if not default_storage.exists(folder):
        return
    directories, names = default_storage.listdir(folder)
    for name in sorted(names):
        yield f"{folder}/{name}"
    for directory in sorted(directories):
        yield from files_in(f"{folder}/{directory}")


def needs_rotation(name: str) -> bool:
    with default_storage.open(name, "rb") as handle:
        head = handle.read(len(crypto.FILE_MAGIC) + 8)
    return crypto.sealed_key_id(head) != crypto.primary_key_id()


def reseal(name: str) -> None:
    """Re-encrypt one file with the newest key (sealing it if it was stored plain), under the same name."""
    with default_storage.open(name, "rb") as handle:
        blob = handle.read()
    plain = crypto.decrypt_bytes(blob) if crypto.is_sealed(blob) else blob
    _overwrite(name, crypto.encrypt_bytes(plain))


def _overwrite(name: str, blob: bytes) -> None:
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        # Remote storage: one PUT replaces the object whole (S3Storage's default
        # file_overwrite=True). One that would pick another name cannot be
        # rotated in place; deleting first could lose the file.
        if default_storage.get_available_name(name) != name:
            raise RuntimeError(f"The storage does not overwrite {name}; enable overwriting to rotate keys.") from None
        default_storage.save(name, ContentFile(blob))
        return
    # Local disk: write beside it, then rename over it, so a crash leaves the old file or the new one.
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".reseal-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.chmod(temporary, os.stat(path).st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
