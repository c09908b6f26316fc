"""Key rotation for secrets at rest.

Raw column values are read and written with SQL, not through the model field: the field would
decrypt on read and encrypt again on write, and a value that no key decrypts would stop the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

from integrations.crypto import EncryptedTextField, get_fernet, rotate_ciphertext


@dataclass
class RotationReport:
    rotated: dict[str, int] = field(default_factory=dict)  # model label -> values re-encrypted
    failed: list[str] = field(default_factory=list)  # "app.Model pk=N field" that no key decrypts

    @property
    def total(self) -> int:
        return sum(self.rotated.values())


def encrypted_fields() -> list[tuple[type[Model], list[EncryptedTextField]]]:
    """Every concrete model with an EncryptedTextField, in every installed app."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def _rotate_batch(*, model: type[Model], fields: list[EncryptedTextField], after, batch_size: int, report) -> tuple:
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    columns = ", ".join(qn(f.column) for f in fields)
    label = model._meta.label
    with transaction.atomic(), connection.cursor() as cursor:
        where, params = ("", []) if after is None else (f" WHERE {pk} > %s", [after])
        cursor.execute(f"SELECT {pk}, {columns} FROM {table}{where} ORDER BY {pk} LIMIT %s", [*params, batch_size])  # noqa: S608 - quoted identifiers
        rows = cursor.fetchall()
        for row_pk, *values in rows:
            for fld, ciphertext in zip(fields, values, strict=True):
                if not ciphertext:
                    continue
                try:
                    rotated = rotate_ciphertext(ciphertext)
                except InvalidToken:
                    report.failed.append(f"{label} pk={row_pk} {fld.name}")
                    continue
                # Only if unchanged since read: a concurrent save of a new value wins.
                cursor.execute(
                    f"UPDATE {table} SET {qn(fld.column)} = %s WHERE {pk} = %s AND {qn(fld.column)} = %s",  # noqa: S608
                    [rotated, row_pk, ciphertext],
                )
                report.rotated[label] = report.rotated.get(label, 0) + cursor.rowcount
    return (rows[-1][0] if rows else None), len(rows)


def secrets_rotate(*, batch_size: int = 500, progress: Callable[[str], None] | None = None) -> RotationReport:
    """Re-encrypt every stored secret under the first key of FIELD_ENCRYPTION_KEYS."""
    get_fernet()  # Fail before touching any row when the keys are missing or malformed.
    report = RotationReport()
    for model, fields in encrypted_fields():
        label = model._meta.label
        report.rotated.setdefault(label, 0)
        after, seen = None, 0
        while True:
            after, count = _rotate_batch(model=model, fields=fields, after=after, batch_size=batch_size, report=report)
            seen += count
            if progress and count:
                progress(f"{label}: {seen} row(s) read, {report.rotated[label]} value(s) re-encrypted")
            if count < batch_size:
                break
    return report
