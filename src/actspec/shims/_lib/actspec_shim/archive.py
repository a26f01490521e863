"""tar.gz packing and safe extraction for artifacts and caches.

Artifacts: files only, stored relative to the artifact root, with mode and mtime normalised
(GitHub's artifact zips do not keep permissions: a downloaded binary is not executable).

Caches: files, directories and symbolic links, stored with their absolute path minus the
leading ``/`` and with mode and mtime kept (cargo's fingerprints compare mtimes), the way
``actions/cache``'s tar keeps them.

Extraction never writes outside the destination (no absolute names, no ``..``).  The
container's python 3.11.2 predates ``tarfile``'s extraction filters, so this module checks
every member itself.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import tarfile
from typing import BinaryIO, Iterable


class ArchiveError(Exception):
    pass


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _gzip_writer(out: BinaryIO, level: int) -> gzip.GzipFile:
    # mtime=0 and no file name: equal content gives equal bytes, so digests are stable
    return gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=level, mtime=0)


def pack_artifact(files: Iterable[tuple[str, str]], out: BinaryIO, level: int = 6) -> list[dict[str, object]]:
    """Write ``(absolute path, name in artifact)`` pairs as tar.gz; returns the file list."""
    listing: list[dict[str, object]] = []
    with _gzip_writer(out, level) as gz, tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for src, name in sorted(files, key=lambda f: f[1]):
            size = os.path.getsize(src)
            info = tarfile.TarInfo(name)
            info.size = size
            info.mode = 0o644
            info.mtime = 0
            info.uname = info.gname = ""
            h = hashlib.sha256()
            with open(src, "rb") as fh:
                tar.addfile(info, _HashingReader(fh, h))
            listing.append({"path": name, "sha256": h.hexdigest(), "size": size})
    return listing


class _HashingReader(io.RawIOBase):
    def __init__(self, fh: BinaryIO, h: "hashlib._Hash") -> None:
        self._fh = fh
        self._h = h

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        data = self._fh.read(n)
        self._h.update(data)
        return data

    def readable(self) -> bool:
        return True


def pack_paths(paths: Iterable[str], out: BinaryIO, level: int = 1) -> dict[str, int]:
    """Write the trees at the absolute ``paths`` as tar.gz (cache layout); returns counts."""
    counts = {"files": 0, "bytes": 0}
    with _gzip_writer(out, level) as gz, tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        seen: set[str] = set()
        for top in paths:
            top = os.path.normpath(top)
            if not os.path.lexists(top):
                continue
            for path in _walk(top):
                if path in seen:
                    continue
                seen.add(path)
                name = path.lstrip("/")
                info = tar.gettarinfo(path, arcname=name)
                info.uname = info.gname = ""
                if info.isreg():
                    with open(path, "rb") as fh:
                        tar.addfile(info, fh)
                    counts["files"] += 1
                    counts["bytes"] += info.size
                elif info.isdir() or info.issym():
                    tar.addfile(info)
    return counts


def _walk(top: str) -> Iterable[str]:
    yield top
    if os.path.isdir(top) and not os.path.islink(top):
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for d in dirnames:
                yield os.path.join(dirpath, d)
            for f in sorted(filenames):
                yield os.path.join(dirpath, f)


def _safe_target(dest: str, name: str) -> str:
    if name.startswith("/") or "\\" in name:
        raise ArchiveError(f"refusing archive member with absolute name: {name}")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts) or not parts:
        raise ArchiveError(f"refusing archive member outside the destination: {name!r}")
    return os.path.join(dest, *parts)


def extract(src: BinaryIO, dest: str, *, keep_meta: bool) -> list[str]:
    """Unpack a tar.gz stream into ``dest``; returns the file names written.

    ``keep_meta`` keeps modes, mtimes, directories and symbolic links (caches); without it
    only regular files are written, mode 0644 (artifacts).
    """
    written: list[str] = []
    os.makedirs(dest, exist_ok=True)
    dir_times: list[tuple[str, int, int]] = []
    with tarfile.open(fileobj=src, mode="r|gz") as tar:
        for member in tar:
            target = _safe_target(dest, member.name)
            if member.isdir():
                if keep_meta:
                    os.makedirs(target, exist_ok=True)
                    dir_times.append((target, member.mode, int(member.mtime)))
                continue
            if member.issym():
                if keep_meta:
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    if os.path.lexists(target):
                        _remove(target)
                    os.symlink(member.linkname, target)
                continue
            if not member.isreg():
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.islink(target) or os.path.isdir(target):
                _remove(target)
            fh = tar.extractfile(member)
            with open(target, "wb") as out:
                if fh is not None:
                    shutil.copyfileobj(fh, out, 1 << 20)
            if keep_meta:
                os.chmod(target, member.mode & 0o7777)
                os.utime(target, (member.mtime, member.mtime))
            else:
                os.chmod(target, 0o644)
            written.append(target)
    for path, mode, mtime in reversed(dir_times):
        try:
            os.chmod(path, mode & 0o7777 or 0o755)
            os.utime(path, (mtime, mtime))
        except OSError:
            pass
    return written


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)
