"""Key rotation: everything encrypted at rest, re-encrypted with the newest key.

Put the new key first in FIELD_ENCRYPTION_KEYS, keep the old ones after it,
run `rotate_encryption_keys`, then remove the old keys. Apps register their
encrypted columns and sealed folders in ready(), so a column added later is
not forgotten by the command (intake never imports the apps that build on it).
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from . import crypto, sealed


@dataclass(frozen=True)
class Column:
    model: str  # "app_label.ModelName"
    name: str
    only: dict[str, Any] = field(default_factory=dict)  # rows whose value is encrypted


COLUMNS: list[Column] = [
    Column("intake.Submission", "sensitive_data"),
    Column("intake.Submission", "alert_phone"),
    Column("intake.Draft", "sensitive_data"),
    # The 위임자's confirmed phone and signature (intake/delegations.py).
    Column("intake.Delegation", "phone"),
    Column("intake.Delegation", "signature"),
]


def register_column(model: str, field_name: str, **only: Any) -> None:
    column = Column(model, field_name, only)
    if column not in COLUMNS:
        COLUMNS.append(column)


@dataclass
class Rotated:
    what: str
    count: int = 0
    unreadable: int = 0


def rotate_column(column: Column, *, dry_run: bool) -> Rotated:
    model = apps.get_model(column.model)
    name = column.name
    stale = (
        model._default_manager.filter(**column.only, **{f"{name}__startswith": f"{crypto.PREFIX}:"})
        .exclude(**{f"{name}__startswith": f"{crypto.PREFIX}:{crypto.primary_key_id()}:"})
        .only("pk", name)
    )
    result = Rotated(f"{model._meta.verbose_name_plural} · {name}")
    for row in stale.iterator(chunk_size=500):
        token = getattr(row, name)
        try:
            fresh = crypto.reencrypt(token)
        except crypto.DecryptionError:
            result.unreadable += 1
            continue
        if not dry_run:
            # Compare-and-set: a row changed meanwhile is left for the next run.
            model._default_manager.filter(pk=row.pk, **{name: token}).update(**{name: fresh})
        result.count += 1
    return result


def rotate_files(*, dry_run: bool) -> Rotated:
    """Sealed files (uploads, archived PDFs, bundles) not yet under the newest key, and any stored plain."""
    result = Rotated("files")
    for name in sealed.files():
        if not sealed.needs_rotation(name):
            continue
        try:
            if not dry_run:
                sealed.reseal(name)
        except crypto.DecryptionError:
            result.unreadable += 1
            continue
        result.count += 1
    return result


def rotate(*, dry_run: bool = False) -> list[Rotated]:
    return [*(rotate_column(c, dry_run=dry_run) for c in COLUMNS), rotate_files(dry_run=dry_run)]
