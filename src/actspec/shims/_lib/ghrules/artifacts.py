"""The artifact name and file path checks of ``@actions/artifact`` (v2, used by upload-artifact v4+).

The messages are the toolkit's, so a workflow that trips them fails with the same text it
would on GitHub.  The upload-artifact shim checks before it uploads, and the kit's artifact
service refuses the same names with the same message, as GitHub's does.
"""

from __future__ import annotations

MAX_NAME = 256  # the artifact service's limit: CreateArtifact answers 400 beyond it
_CREATE_FAILED = "Failed to CreateArtifact: Received non-retryable error: Failed request: (400) Bad Request: "

INVALID_PATH_CHARS: list[tuple[str, str]] = [
    ('"', ' Double quote "'),
    (":", " Colon :"),
    ("<", " Less than <"),
    (">", " Greater than >"),
    ("|", " Vertical bar |"),
    ("*", " Asterisk *"),
    ("?", " Question mark ?"),
    ("\r", " Carriage return \\r"),
    ("\n", " Line feed \\n"),
]
INVALID_NAME_CHARS: list[tuple[str, str]] = INVALID_PATH_CHARS + [
    ("\\", " Backslash \\"),
    ("/", " Forward slash /"),
]


def _invalid(text: str, chars: list[tuple[str, str]], what: str, why: str) -> str | None:
    """The toolkit's message for the first of ``chars`` in ``text``, else ``None``."""
    for char, label in chars:
        if char in text:
            listing = ",".join(lbl for _c, lbl in chars)
            return (f"{what}: {text}. Contains the following character: {label}\n"
                    f"          \nInvalid characters include: {listing}\n          \n{why}")
    return None


def artifact_name_error(name: str) -> str | None:
    """upload-artifact's message for a name the artifact service refuses, else ``None``.

    The character list is the toolkit's and the length limit the service's own wording;
    ``..`` and control characters (NUL ...) have no documented message, so they are answered
    in the service's ``CreateArtifact`` form.
    """
    if not name:
        return "Provided artifact name input during validation is empty"
    if len(name) > MAX_NAME:
        return f"{_CREATE_FAILED}name invalid length for artifact name: must be between 1 and {MAX_NAME} characters"
    invalid = _invalid(name, INVALID_NAME_CHARS, "The artifact name is not valid", (
        "These characters are not allowed in the artifact name due to limitations with certain "
        "file systems such as NTFS. To maintain file system agnostic behavior, these characters "
        "are intentionally not allowed to prevent potential problems with downloads on different "
        "file systems."))
    if invalid:
        return invalid
    control = next((c for c in name if ord(c) < 0x20 or c == "\x7f"), None)
    if control is not None:
        return f"{_CREATE_FAILED}name invalid for artifact name: contains control character {control!r}"
    if ".." in name:
        return f"{_CREATE_FAILED}name invalid for artifact name: contains '..'"
    return None


def file_path_error(path: str) -> str | None:
    """upload-artifact's message for a file path it refuses to upload, else ``None``."""
    if not path:
        return "Provided file path input during validation is empty"
    return _invalid(path, INVALID_PATH_CHARS, "The path for one of the files in artifact is not valid", (
        "The following characters are not allowed in files that are uploaded due to limitations with certain "
        "file systems such as NTFS. To maintain file system agnostic behavior, these characters are "
        "intentionally not allowed to prevent potential problems with downloads on different file systems.\n          "))
