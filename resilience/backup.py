"""Keeping the database file safe: integrity check, online backup and restore, owner-only
files, and the automatic copy taken before a migration changes the schema.

SQLite's online backup API copies a consistent snapshot while other people keep
writing, so a backup can be taken in the middle of a meeting.
"""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import stat
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

OWNER_ONLY = 0o600
STALE_PARTIAL_SECONDS = 60  # a .partial this old and unlocked is a killed backup's
PARTIAL_NAME = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.partial")  # tempfile.mkstemp's shape
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why, in words."""


@dataclass
class CheckReport:
    """What ``resilience db check`` found."""

    path: str
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def create_owner_only(path: Path) -> None:
    """Create an empty file readable and writable by its owner alone (if it is new)."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY)
    except FileExistsError:
        return
    os.close(fd)


def readable_by_others(path: Path) -> int | None:
    """The file's mode when group or others may read or write it, else None."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    return mode if mode & 0o077 else None


def permission_warning(path: Path) -> str | None:
    mode = readable_by_others(path)
    if mode is None:
        return None
    return (
        f"{path} can be read by other users (mode {mode:04o}) and may hold confidential "
        f"soft intelligence; make it owner-only with: chmod 600 {path}"
    )


def _connect(path: Path, *, must_exist: bool = True) -> sqlite3.Connection:
    if must_exist and not path.is_file():
        raise BackupError(f"{path}: no such database file")
    uri = f"file:{path}?mode={'rw' if must_exist else 'rwc'}"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=30)
        connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a resilience database (SQLite says: {exc})") from None
    return connection


def check(path: Path, known_revisions: set[str], head: str) -> CheckReport:
    """Integrity, foreign keys, schema version and row counts of one SQLite file."""
    report = CheckReport(str(path))
    try:
        connection = _connect(path)
    except BackupError as exc:
        report.problems.append(str(exc))
        return report
    with connection:
        try:
            rows = [r[0] for r in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            report.problems.append(f"integrity check failed: {exc}")
            return report
        if rows != ["ok"]:
            report.problems += [f"integrity: {r}" for r in rows[:20]]
        else:
            report.facts.append("integrity check: ok")
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            report.problems.append(f"{len(broken)} row(s) point at rows that do not exist")
        else:
            report.facts.append("foreign keys: ok")
        revision = _revision(connection)
        if revision is None:
            report.problems.append("no resilience schema in this file")
        elif revision not in known_revisions:
            report.problems.append(
                f"schema {revision} is newer than this version of resilience knows"
            )
        else:
            state = "current" if revision == head else f"will be upgraded to {head} on open"
            report.facts.append(f"schema {revision} ({state})")
            from resilience.schema_check import schema_differences

            differences = schema_differences(connection, revision)
            report.problems += differences
            if not differences:
                report.facts.append("schema objects (tables, indexes, triggers): as expected")
        for table in ("practice", "assessment", "soft_intel_entry", "audit_log", "import_batch"):
            try:
                (count,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
            except sqlite3.DatabaseError:
                continue
            report.facts.append(f"{table}: {count:,} rows")
    mode = readable_by_others(path)
    if mode is not None:
        report.problems.append(f"the file can be read by other users (mode {mode:04o})")
    return report


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def backup(source: Path, target: Path, *, overwrite: bool = False) -> Path:
    """Copy ``source`` to ``target`` with SQLite's online backup (consistent while others
    write). The copy is owner-only and is checked before this returns."""
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose a new name (nothing was written)")
    if target.resolve() == source.resolve():
        raise BackupError("the backup cannot be the database itself")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create {target.parent}: {exc.strerror}") from None
    remove_stale_partials(target.parent)
    try:  # a name of its own: two backups at once never share a half-written file
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror}") from None
    # mkstemp creates it owner-only (0600); the lock held on it until the copy is done
    # tells the next backup it is in use (a killed backup's lock goes with its process)
    fcntl.flock(fd, fcntl.LOCK_EX)
    partial = Path(name)
    try:
        return _copy_into(source, target, partial, overwrite=overwrite)
    finally:
        os.close(fd)


def remove_stale_partials(folder: Path) -> list[Path]:
    """Delete half-written copies left by killed backups in ``folder``: the ``.partial``
    files no running backup holds a lock on and that are older than a minute (a backup
    locks its file the moment it creates it). Returns what was removed."""
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.glob(".*.partial") if PARTIAL_NAME.fullmatch(p.name)]
    except OSError:
        return removed
    now = time.time()
    for partial in candidates:
        try:
            if now - partial.stat().st_mtime < STALE_PARTIAL_SECONDS:
                continue
            fd = os.open(partial, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # refused: a backup is writing it
            if os.read(fd, len(SQLITE_HEADER)) in (SQLITE_HEADER, b""):  # ours, not a stranger's
                partial.unlink()
                removed.append(partial)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


def _copy_into(source: Path, target: Path, partial: Path, *, overwrite: bool) -> Path:
    src = _connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup of {source} failed: {exc}") from None
    finally:
        src.close()
    if not ok:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy of {source} failed its integrity check; nothing kept")
    if not overwrite and target.exists():
        partial.unlink(missing_ok=True)
        raise BackupError(f"{target} appeared while copying; nothing was written over it")
    os.replace(partial, target)  # the name appears only once the copy is whole
    os.chmod(target, OWNER_ONLY)
    return target


def restore(backup_file: Path, live: Path, known_revisions: set[str], head: str) -> Path:
    """Replace the live database's content with a backup's, after checking the backup and
    keeping a copy of what is being replaced. Returns that copy's path."""
    report = check(backup_file, known_revisions, head)
    fatal = [p for p in report.problems if "other users" not in p]
    if fatal:
        raise BackupError(f"{backup_file} cannot be restored: {'; '.join(fatal)}")
    safety = None
    if live.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        safety = backup(live, live.with_name(f"{live.name}.before-restore-{stamp}"))
    else:
        create_owner_only(live)
    src = _connect(backup_file)
    try:
        dst = _connect(live, must_exist=False)
        try:
            src.backup(dst)  # online: takes the write lock, other readers see old or new
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"restore into {live} failed: {exc}; the database is unchanged") from None
    finally:
        src.close()
    return safety or live


def before_migration(path: Path, current: str, head: str) -> Path:
    """The automatic copy taken before a migration upgrades ``path`` from ``current``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return backup(path, path.with_name(f"{path.name}.before-{current}-to-{head}-{stamp}"))
