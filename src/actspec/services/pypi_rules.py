"""Warehouse's upload rules, as pure functions over what an upload carries.

Each ``check_*`` either returns or raises :class:`Refusal` with warehouse's status and
message, in the order warehouse's ``file_upload`` view applies them; the mock PyPI
(:mod:`actspec.services.pypi`) chains them and turns a refusal into warehouse's response.
Nothing here touches the mock's state: the rules that need it (file reuse, one sdist per
release, token scope) stay beside the state in the service.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import tarfile
import zipfile
from dataclasses import dataclass
from typing import Any, Mapping

from packaging.metadata import InvalidMetadata, Metadata
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version
from werkzeug.datastructures import MultiDict

from actspec.errors import Refusal

HELP = "https://pypi.org/help/"
CORE_METADATA_HELP = "See https://packaging.python.org/specifications/core-metadata for more information."
SUPPORTED_METADATA_VERSIONS = {"1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"}
ONE_MIB = 1024 * 1024
MAX_FILESIZE = 100 * ONE_MIB  # warehouse's default per-file limit

# core-metadata field names as upload forms send them -> packaging's RawMetadata keys
_FORM_STRINGS = {
    "metadata_version", "name", "version", "summary", "description", "description_content_type", "author",
    "author_email", "maintainer", "maintainer_email", "license", "license_expression", "home_page",
    "download_url", "requires_python",
}
_FORM_LISTS = {
    "requires_dist": "requires_dist", "provides_extra": "provides_extra", "classifiers": "classifiers",
    "platform": "platforms", "supported_platform": "supported_platforms", "license_file": "license_files",
    "dynamic": "dynamic", "requires_external": "requires_external", "provides_dist": "provides_dist",
    "obsoletes_dist": "obsoletes_dist", "requires": "requires", "provides": "provides", "obsoletes": "obsoletes",
}
_ERROR_ORDER = ("metadata-version", "name", "version")
EXTENSIONS = {"sdist": (".tar.gz", ".zip"), "bdist_wheel": (".whl",)}
_LINUX_ARCHES = {"x86_64", "i686", "aarch64", "armv7l", "ppc64le", "s390x", "riscv64", "ppc64"}
_MAC_ARCHES = {"ppc", "ppc64", "i386", "x86_64", "arm64", "intel", "fat", "fat3", "fat64", "universal",
               "universal2"}


@dataclass(frozen=True)
class FileFields:
    """The upload form's file fields once they passed :func:`check_file_fields`."""

    filetype: str
    pyversion: str
    digests: dict[str, str]  # md5 / sha256 / blake2_256 -> hex ("" when not sent)


def platform_ok(tag: str) -> bool:
    """Platform tags PyPI accepts (manylinux/musllinux/macOS/Windows/iOS/Android, ``any``)."""
    if tag in {"any", "win32", "win_amd64", "win_arm64", "win_ia64", "linux_armv6l", "linux_armv7l"}:
        return True
    if m := re.fullmatch(r"manylinux(1|2010|2014)_(\w+)", tag):
        return m.group(2) in _LINUX_ARCHES
    if m := re.fullmatch(r"(many|musl)linux_\d+_\d+_(\w+)", tag):
        return m.group(2) in _LINUX_ARCHES
    if m := re.fullmatch(r"macosx_(\d+)_(\d+)_(\w+)", tag):
        major, minor, arch = m.groups()
        return arch in _MAC_ARCHES and (major == "10" or (int(major) >= 11 and minor == "0"))
    if m := re.fullmatch(r"ios_\d+_\d+_(\w+?)_(iphoneos|iphonesimulator)", tag):
        return m.group(1) in {"arm64", "x86_64"}
    if m := re.fullmatch(r"android_\d+_(\w+)", tag):
        return m.group(1) in {"armeabi_v7a", "arm64_v8a", "x86", "x86_64"}
    return False


def check_file_fields(form: MultiDict[str, str]) -> FileFields:
    """Protocol version, file type, Python version and digests, as the form states them."""
    if form.get("protocol_version", "1") != "1":
        raise Refusal(400, "Unknown protocol version.")
    filetype = form.get("filetype", "")
    if filetype not in EXTENSIONS:
        raise Refusal(400, "Invalid value for filetype. Error: Use a known file type.")
    pyversion = form.get("pyversion", "")
    if filetype == "sdist" and pyversion and pyversion != "source":
        raise Refusal(400, "Error: Use 'source' as Python version for an sdist.")
    if filetype == "bdist_wheel" and not pyversion:
        raise Refusal(400, "Error: Python version is required for binary distribution uploads.")
    digests = {k: form.get(f"{k}_digest", "").strip() for k in ("md5", "sha256", "blake2_256")}
    for key in ("sha256", "blake2_256"):
        if digests[key] and not re.fullmatch(r"[A-Fa-f0-9]{64}", digests[key]):
            label = "SHA256" if key == "sha256" else "blake2"
            raise Refusal(400, f"Invalid value for {key}_digest. Error: Use a valid, hex-encoded, {label} message digest.")
    if not any(digests.values()):
        raise Refusal(400, "Error: Include at least one message digest.")
    return FileFields(filetype, pyversion, digests)


def core_metadata(form: MultiDict[str, str]) -> Metadata:
    """The release's core metadata from the form, validated by ``packaging`` as warehouse does."""
    raw: dict[str, Any] = {}
    for key in _FORM_STRINGS:
        value = form.get(key)
        if value is not None and value.strip() and value.strip() != "UNKNOWN":
            raw[key] = value
    for key, raw_key in _FORM_LISTS.items():
        values = [v for v in form.getlist(key) if v.strip() and v.strip() != "UNKNOWN"]
        if values:
            raw[raw_key] = values
    if form.get("keywords", "").strip():
        raw["keywords"] = [k.strip() for k in form["keywords"].split(",") if k.strip()]
    urls = {}
    for item in form.getlist("project_urls"):
        label, _, url = item.partition(",")
        urls[label.strip()] = url.strip()
    if urls:
        raw["project_urls"] = urls
    errors: list[InvalidMetadata] = []
    meta: Metadata | None = None
    try:
        meta = Metadata.from_raw(raw, validate=True)  # type: ignore[arg-type]
    except ExceptionGroup as group:
        errors.extend(e for e in group.exceptions if isinstance(e, InvalidMetadata))
        if not errors:
            raise
    if meta is not None:
        if meta.metadata_version not in SUPPORTED_METADATA_VERSIONS:
            errors.append(InvalidMetadata("metadata-version", f"{meta.metadata_version!r} is not a valid metadata version"))
        if meta.version.local:
            errors.append(InvalidMetadata("version", f"The use of local versions in '{meta.version}' is not allowed."))
    if errors:
        first = next((e for field in _ERROR_ORDER for e in errors if e.field == field),
                     sorted(errors, key=lambda e: e.field)[0])
        msg = str(first)
        raise Refusal(400, msg + ("" if msg.endswith(".") else ".") + " " + CORE_METADATA_HELP)
    assert meta is not None
    return meta


def check_filename(filename: str, filetype: str, mimetype: str) -> None:
    """Printable, no path separators, an extension that fits the file type, not an image."""
    if any(ord(c) < 32 or ord(c) == 127 for c in filename):
        raise Refusal(400, "Cannot upload a file with non-printable characters (ordinals 0-31) or the DEL "
                           "character (ordinal 127) in the name.")
    if "/" in filename or "\\" in filename:
        raise Refusal(400, "Cannot upload a file with '/' or '\\' in the name.")
    ext = next((e for e in (".tar.gz", ".zip", ".whl") if filename.lower().endswith(e)), None)
    if ext is None:
        raise Refusal(400, "Invalid file extension: Use .tar.gz, .whl or .zip extension. See "
                           "https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for "
                           "more information")
    if ext not in EXTENSIONS[filetype]:
        raise Refusal(400, f"Invalid file extension: Extension {ext} is invalid for filetype {filetype}. See "
                           "https://www.python.org/dev/peps/pep-0527 for more information.")
    if not mimetype or mimetype.startswith("image/"):
        raise Refusal(400, "Invalid distribution file.")


def read_limited(stream: io.BufferedIOBase | Any, limit: int, project_name: str) -> bytes:
    """The file's bytes, refused with warehouse's message as soon as they pass ``limit``."""
    chunks: list[bytes] = []
    size = 0
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        size += len(chunk)
        if size > limit:
            raise Refusal(400, f"File too large. Limit for project {project_name!r} is {limit // ONE_MIB} MB. "
                               f"See {HELP}#file-size-limit for more information.")
        chunks.append(chunk)
    return b"".join(chunks)


def file_hashes(data: bytes) -> dict[str, str]:
    return {"md5": hashlib.md5(data).hexdigest(), "sha256": hashlib.sha256(data).hexdigest(),
            "blake2_256": hashlib.blake2b(data, digest_size=32).hexdigest()}


def check_digests(stated: Mapping[str, str], hashes: Mapping[str, str]) -> None:
    if not all(hmac.compare_digest(stated[k].lower(), v) for k, v in hashes.items() if stated[k]):
        raise Refusal(400, "The digest supplied does not match a digest calculated from the uploaded file.")


def check_archive(data: bytes, filename: str) -> None:
    """Warehouse's archive sanity: a zip with ``WHEEL`` / ``PKG-INFO``, a tar.gz with one top folder."""
    why = _archive_problem(data, filename)
    if why is not None:
        raise Refusal(400, f"Invalid distribution file. {why}".strip())


def _archive_problem(data: bytes, filename: str) -> str | None:
    if filename.endswith((".whl", ".zip")):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            return "File is not a zipfile"
        if filename.endswith(".whl"):
            try:
                name, version, _ = filename.split("-", 2)
            except ValueError:
                return "Unable to parse name and version from wheel filename"
            target = f"{name}-{version}.dist-info/WHEEL"
            return None if target in names else f"WHEEL not found at {target}"
        top = names[0].split("/", 1)[0] if names else ""
        return None if f"{top}/PKG-INFO" in names else f"PKG-INFO not found at {top}/PKG-INFO"
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
            names = tf.getnames()
    except (tarfile.TarError, EOFError, OSError):
        return "File is not a tarfile"
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) != 1:
        return "Incorrect number of top-level directories in sdist"
    top = tops.pop()
    return None if f"{top}/PKG-INFO" in names else f"PKG-INFO not found at {top}/PKG-INFO"


def check_sdist_name(filename: str, meta: Metadata) -> None:
    """PEP 625: ``<normalized name>-<version>.tar.gz``."""
    project = canonicalize_name(meta.name)
    normalized = project.replace("-", "_")
    try:
        sd_name, _sd_version = parse_sdist_filename(filename)
    except InvalidSdistFilename:
        raise Refusal(400, f"Invalid source distribution filename: {filename}") from None
    if canonicalize_name(sd_name) != project:
        raise Refusal(400, f"Start filename for {meta.name!r} with {normalized!r}.")
    expected = f"{normalized}-{meta.version}.tar.gz"
    if filename != expected:
        raise Refusal(400, f"Filename {filename!r} is invalid, should be {expected!r}.")


def wheel_metadata(data: bytes, filename: str) -> bytes | None:
    """The wheel's ``.dist-info/METADATA``, or ``None`` when it has none."""
    name, version, _rest = filename.split("-", 2)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.read(f"{name}-{version}.dist-info/METADATA")
    except (KeyError, zipfile.BadZipFile):
        return None


def check_wheel(filename: str, meta: Metadata, data: bytes) -> bytes:
    """Wheel name, platform tags, version and ``METADATA``; returns the ``METADATA`` bytes."""
    project = canonicalize_name(meta.name)
    normalized = project.replace("-", "_")
    try:
        wh_name, wh_version, _build, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename as exc:
        raise Refusal(400, str(exc)) from None
    for tag in tags:
        if not platform_ok(tag.platform):
            raise Refusal(400, f"Binary wheel '{filename}' has an unsupported platform tag '{tag.platform}'.")
    if project != wh_name:
        raise Refusal(400, f"Start filename for {meta.name!r} with {normalized!r}.")
    name_from_filename = filename.split("-", 1)[0]
    if name_from_filename != normalized:
        raise Refusal(400, f"Filename {filename!r} should contain the normalized project name {normalized!r}, "
                           f"not {name_from_filename!r}.")
    if meta.version != wh_version:
        raise Refusal(400, f"Version in filename should be {str(meta.version)!r} not {str(wh_version)!r}.")
    dist_name, dist_version, _ = filename.split("-", 2)
    inner_bytes = wheel_metadata(data, filename)
    if inner_bytes is None:
        raise Refusal(400, f"Wheel '{filename}' does not contain the required METADATA file: "
                           f"{dist_name}-{dist_version}.dist-info/METADATA")
    # The kit's own check (warehouse trusts the form): METADATA must describe the upload.
    try:
        inner = Metadata.from_email(inner_bytes, validate=False)
        inner_name, inner_version = inner.name, Version(str(inner.version))
    except (ExceptionGroup, InvalidVersion, ValueError, TypeError):
        raise Refusal(400, f"Wheel '{filename}' has an unreadable METADATA file.") from None
    if canonicalize_name(inner_name) != project or inner_version != meta.version:
        raise Refusal(400, f"Wheel '{filename}' METADATA says {inner_name} {inner_version}, but the upload is "
                           f"{meta.name} {meta.version}.")
    return inner_bytes
