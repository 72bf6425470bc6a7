"""The owner's export: every table of the community as CSV, for the organisation's own analysis.

`export_community(directory)` writes one `<app>.<model>.csv` per table and a `manifest.json` that
lists each file's columns and row count and what was left out. Rows are read in chunks and written
as they come, so a large community never sits in memory.

Left out on purpose: password hashes, sessions, API tokens, e-mail confirmation keys, the
full-text search column, the queued background tasks and the archives themselves. Kept: every other
column of the community's apps (members, forums, content, metrics), the e-mail addresses and their
verification, the role groups, and the pages' own columns."""

import csv
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

APPS = ("members", "forums", "content", "metrics")
# Further tables an owner needs: who holds which address, and the role groups.
EXTRA_MODELS = ("account.EmailAddress", "auth.Group")
LEFT_OUT_MODELS = {"members.DataExport"}  # file names of private archives: nothing to analyse
LEFT_OUT_FIELDS = {"password", "search_document"}
NOT_EXPORTED = [
    "password hashes",
    "sessions",
    "API tokens",
    "e-mail confirmation keys",
    "the full-text search column",
    "queued background tasks",
    "members' data archives",
    "uploaded files (avatars, images, documents): their names are in the tables, the files in storage",
]
CHUNK = 2000


@dataclass
class ExportedTable:
    file: str
    model: str
    columns: list[str]
    rows: int = 0


@dataclass
class Manifest:
    exported_at: str
    tables: list[ExportedTable] = field(default_factory=list)
    not_exported: list[str] = field(default_factory=lambda: list(NOT_EXPORTED))


def exported_models() -> list[type[models.Model]]:
    chosen = [
        model
        for label in APPS
        if apps.is_installed(label)
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in LEFT_OUT_MODELS
    ]
    for label in EXTRA_MODELS:
        try:
            chosen.append(apps.get_model(label))
        except LookupError:  # an app this installation does not have
            continue
    return chosen


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in LEFT_OUT_FIELDS]


def _cell(field: models.Field, value) -> str | int | float:
    """One value as CSV holds it: dates in ISO 8601, structures (JSON, StreamField) as JSON text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | Decimal):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    try:
        prepared = field.get_prep_value(value)  # StreamValue and friends
    except Exception:  # noqa: BLE001 - anything else is written as its text
        return str(value)
    return prepared if isinstance(prepared, str) else json.dumps(prepared, cls=DjangoJSONEncoder, ensure_ascii=False)


def export_table(model: type[models.Model], directory: Path) -> ExportedTable:
    columns = _columns(model)
    table = ExportedTable(
        file=f"{model._meta.label_lower}.csv", model=model._meta.label, columns=[f.attname for f in columns]
    )
    with open(directory / table.file, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(table.columns)
        rows = model._base_manager.order_by("pk").values_list(*table.columns)
        for row in rows.iterator(chunk_size=CHUNK):
            writer.writerow([_cell(f, value) for f, value in zip(columns, row, strict=True)])
            table.rows += 1
    return table


def export_community(directory: Path) -> Manifest:
    """Write every exported table into `directory` (created if need be); returns the manifest,
    also written as manifest.json."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(exported_at=timezone.now().isoformat())
    for model in exported_models():
        manifest.tables.append(export_table(model, directory))
    (directory / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    return manifest
