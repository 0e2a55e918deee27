"""Back up and restore everything the system keeps: the database and the uploaded files.

One archive (``.tar.gz``) holds the database — SQLite's online backup (consistent while
the system runs) or ``pg_dump``'s custom format for PostgreSQL — the uploads folder, and
a manifest: when, which engine, and how many rows each table had, so a restore can be
checked against it. Restoring replaces the database and the uploads with the archive's.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"


def row_counts() -> dict[str, int]:
    """Rows per model of ours (what a restore is checked against)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("aftersales.")
    }


def _postgres_env() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    args += ["-U", str(db.get("USER") or "postgres"), "-d", str(db["NAME"])]
    return env, args


def backup(target_dir: Path) -> Path:
    """Write an archive into ``target_dir`` and return its path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = target_dir / f"aftersales-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            database = folder / "database.sqlite3"
            with sqlite3.connect(database) as copy:
                connection.connection.backup(copy)
        else:
            database = folder / "database.pgdump"
            env, args = _postgres_env()
            subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "-f", str(database), *args],
                env=env,
                check=True,
            )
        manifest = {
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": database.name,
            "rows": row_counts(),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder / MANIFEST, arcname=MANIFEST)
            tar.add(database, arcname=database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="media")
    return archive


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Only regular files and folders inside the archive's own tree."""
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise ValueError(f"unsafe entry in the archive: {member.name}")
        members.append(member)
    return members


def restore(archive: Path) -> dict[str, Any]:
    """Replace the database and the uploads with the archive's; return its manifest."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, members=_safe_members(tar))
        manifest = json.loads((folder / MANIFEST).read_text())
        if manifest["engine"] != connection.vendor:
            engine = manifest["engine"]
            raise ValueError(f"a {engine} backup cannot restore a {connection.vendor} database")
        database = folder / manifest["database"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(database) as source:
                source.backup(connection.connection)
        else:
            connection.close()
            env, args = _postgres_env()
            subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(database),
                ],
                env=env,
                check=True,
            )
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        if (folder / "media").exists():
            shutil.copytree(folder / "media", media)
        else:
            media.mkdir(parents=True, exist_ok=True)
    return manifest
