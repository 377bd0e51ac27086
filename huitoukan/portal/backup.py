"""Backup and restore of the database and the evidence files, as one tar file.

SQLite is copied with its online backup API (consistent while the server runs); PostgreSQL
with pg_dump/pg_restore. The evidence files travel beside the database in the same archive.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "huitoukan-backup.json"


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    return env, args


def backup_create(target: Path) -> dict:
    """Write a consistent copy of the database and the evidence files to `target` (a .tar file)."""
    target = Path(target)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if connection.vendor == "sqlite":
            db_file = tmp / "database.sqlite3"
            connection.ensure_connection()
            dest = sqlite3.connect(db_file)
            try:
                connection.connection.backup(dest)
            finally:
                dest.close()
        else:
            import os

            db_file = tmp / "database.pgdump"
            env, args = _pg_env_and_args()
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", *args, "-f", str(db_file),
                            settings.DATABASES["default"]["NAME"]], check=True, env={**os.environ, **env})
        manifest = {"created_at": timezone.now().isoformat(), "vendor": connection.vendor, "database": db_file.name}
        with tarfile.open(target, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_file.name)
            if (media / "evidence").exists():
                tar.add(media / "evidence", arcname="media/evidence")
    return manifest


def backup_restore(source: Path) -> dict:
    """Replace the database and the evidence files with those of a backup. Stop the server first."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source) as tar:
        tmp = Path(tmp)
        tar.extractall(tmp, filter="data")
        manifest = json.loads((tmp / MANIFEST).read_text(encoding="utf-8"))
        if manifest["vendor"] != connection.vendor:
            raise ValueError(f"备份来自 {manifest['vendor']}，当前数据库是 {connection.vendor}，不能直接恢复。")
        db_file = tmp / manifest["database"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            src = sqlite3.connect(db_file)
            try:
                src.backup(connection.connection)
            finally:
                src.close()
        else:
            import os

            connection.close()
            env, args = _pg_env_and_args()
            subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", *args, "-d",
                            settings.DATABASES["default"]["NAME"], str(db_file)], check=True,
                           env={**os.environ, **env})
        if (tmp / "media" / "evidence").exists():
            target = media / "evidence"
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(tmp / "media" / "evidence", target)
    return manifest
