"""Data archives: a member's own data ("Download my data") and an administrator's export of the whole
community, built by a background task into a temporary file, then saved to the default storage
(MEDIA_ROOT today, S3 or any other backend tomorrow: the code only calls `save` and `open`).

The file is never public: its name is random and under exports/, which /media/ does not serve, and
it is handed out only by `members.views.leaving.download_export` to the member who asked for it, through a
signed link that expires after DATA_EXPORT_LINK_MAX_AGE seconds."""

import json
import secrets
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from .models import DataExport, Member
from .personal_data import archive_parts

LINK_SALT = "members.data-export"
EXPORT_PREFIX = "exports"


def link_max_age() -> int:
    return settings.DATA_EXPORT_LINK_MAX_AGE


def download_path(export: DataExport) -> str:
    """The signed link's path: it names the export and expires (the view also checks who asks)."""
    token = signing.dumps(export.pk, salt=LINK_SALT, compress=True)
    return reverse("members:download-export", kwargs={"token": token})


def export_from_token(token: str) -> int | None:
    """The export id a link names, or None when it is forged or older than the link's lifetime."""
    try:
        return signing.loads(token, salt=LINK_SALT, max_age=link_max_age())
    except signing.BadSignature:  # SignatureExpired is one
        return None


def link_expires_at(export: DataExport):
    return (export.finished_at or export.created) + timezone.timedelta(seconds=link_max_age())


def _write_json_list(entry, rows) -> int:
    """Write `rows` as one JSON list, a row at a time; returns how many."""
    count = 0
    entry.write(b"[")
    for row in rows:
        entry.write(b"\n  " if count == 0 else b",\n  ")
        entry.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False).encode())
        count += 1
    entry.write(b"\n]\n" if count else b"]\n")
    return count


def write_member_archive(member: Member, out) -> dict[str, int]:
    """The member's archive as a zip into the binary file `out`: one `<kind>.json` per registered
    part, the avatar and a README; returns the row count of each kind."""
    counts = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        parts = archive_parts()
        for part in parts:
            with archive.open(f"{part.kind}.json", "w", force_zip64=True) as entry:
                counts[part.kind] = _write_json_list(entry, part.rows(member))
        if member.avatar:
            suffix = Path(member.avatar.name).suffix or ".img"
            with member.avatar.open("rb") as avatar, archive.open(f"avatar{suffix}", "w") as entry:
                shutil.copyfileobj(avatar, entry)
        lines = [f"Your data on Mutua, @{member.username}, {timezone.now():%Y-%m-%d %H:%M} UTC.", ""]
        lines += [f"{part.kind}.json ({counts[part.kind]}): {part.description}" for part in parts]
        if member.avatar:
            lines.append("avatar: the picture on your profile.")
        archive.writestr("README.txt", "\n".join(lines) + "\n")
    return counts


def write_community_archive(out) -> None:
    """Every table as CSV (community.export) into a zip in `out`, through a temporary directory."""
    from community.export import export_community

    with tempfile.TemporaryDirectory(prefix="mutua-export-") as directory:
        export_community(Path(directory))
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(directory).iterdir()):
                archive.write(path, arcname=path.name)


def build(export: DataExport) -> DataExport:
    """Build the export's archive into a temporary file, save it to storage, mark it ready, and
    remove the requester's earlier archives of the same kind (one link lives at a time)."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    with tempfile.TemporaryFile(prefix="mutua-archive-") as out:
        if export.scope == DataExport.Scope.COMMUNITY:
            write_community_archive(out)
            name = f"{EXPORT_PREFIX}/community/mutua-community-{stamp}-{secrets.token_urlsafe(12)}.zip"
        else:
            write_member_archive(export.requested_by, out)
            name = f"{EXPORT_PREFIX}/members/mutua-{export.requested_by.username}-{stamp}-{secrets.token_urlsafe(12)}.zip"
        size = out.tell()
        out.seek(0)
        saved = default_storage.save(name, File(out, name=Path(name).name))
    export.file_name, export.size = saved, size
    export.status, export.finished_at = DataExport.Status.READY, timezone.now()
    export.save(update_fields=["file_name", "size", "status", "finished_at"])
    earlier = DataExport.objects.filter(requested_by=export.requested_by_id, scope=export.scope, pk__lt=export.pk)
    for old in earlier:
        delete_file(old)
    earlier.delete()
    return export


def delete_file(export: DataExport) -> None:
    if export.file_name:
        default_storage.delete(export.file_name)


def purge_expired(*, now=None) -> int:
    """Delete the archives whose link has expired; returns how many."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(created__lt=now - timezone.timedelta(seconds=link_max_age()))
    count = 0
    for export in expired:
        delete_file(export)
        count += 1
    expired.delete()
    return count
