"""actions/cache through the kit's cache service: restore (main, ``restore/``) and save (post, ``save/``).

The lookup is the shim library's ``@actions/cache`` client (:mod:`actspec_shim.cache`); the
save is this module's, because actions/cache versions an entry by its ``path`` *patterns*
(relative ones included), not by the paths they resolve to.  Keys, restore-key prefixes, the branch scopes a job may read (its own ref, the base of a
pull request, the default branch) and the cache version (derived from the ``path`` input)
are the kit service's, which follows GitHub's documented cache rules; the service records
``cache.restore`` and ``cache.save``.  The archive holds absolute paths, so a restore puts
the files back where they were.
"""

from __future__ import annotations

import glob
import os

from actspec_shim import cache, gha, kit

STATE_KEY = "CACHE_KEY"
STATE_MATCHED = "CACHE_RESULT"
STATE_PATHS = "CACHE_PATHS"
MAX_KEY = 512


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def check_key(key: str) -> None:
    """The real action's key validation (``@actions/cache`` ``checkKey``), with its wording."""
    if len(key) > MAX_KEY:
        raise gha.InputError(f"Key Validation Error: {key} cannot be larger than {MAX_KEY} characters.")
    if "," in key:
        raise gha.InputError(f"Key Validation Error: {key} cannot contain commas.")


def resolve(patterns: list[str]) -> list[str]:
    """Absolute paths the patterns name: ``~`` expanded, relative ones under the workspace, globs expanded."""
    out: list[str] = []
    for pattern in patterns:
        if pattern.startswith("!"):
            gha.warning(f"actspec shim: exclude pattern {pattern!r} is not emulated; it is ignored")
            continue
        path = os.path.expanduser(pattern)
        if not os.path.isabs(path):
            path = os.path.join(gha.workspace(), path)
        found = sorted(glob.glob(path, recursive=True, include_hidden=True)) if glob.has_magic(path) else [path]
        out += [p for p in found if os.path.lexists(p) and p not in out]
    return out


def restore(save_state: bool = False) -> int:
    key = gha.get_input("key", required=True)
    paths = _lines(gha.get_input("path", required=True))
    restore_keys = _lines(gha.get_input("restore-keys"))
    for k in [key, *restore_keys]:
        check_key(k)
    lookup_only = gha.get_bool_input("lookup-only")
    if save_state:
        gha.save_state(STATE_KEY, key)
        gha.save_state(STATE_PATHS, "\n".join(paths))
    gha.set_output("cache-primary-key", key)
    found = cache.restore(paths, key, restore_keys, lookup_only=lookup_only)
    if found is None:
        if gha.get_bool_input("fail-on-cache-miss"):
            gha.fail(f"Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: {key}")
        gha.info(f"Cache not found for input keys: {', '.join([key, *restore_keys])}")
        gha.set_output("cache-hit", "false")
        return 0
    matched, exact = found.key, found.exact
    if save_state:
        gha.save_state(STATE_MATCHED, matched)
    gha.set_output("cache-matched-key", matched)
    gha.set_output("cache-hit", "true" if exact else "false")
    gha.info(f"Cache {'found and can be restored' if lookup_only else 'restored'} from key: {matched}")
    return 0


def save(key: str, patterns: list[str]) -> int:
    check_key(key)
    present = resolve(patterns)
    if not present:
        gha.warning("Path Validation Error: Path(s) specified in the action for caching do(es) not exist, "
                    "hence no cache is being saved.")
        kit.record("cache.save", key, {"saved": False, "skipped": True, "reason": "no paths", "paths": patterns})
        return 0
    cache.save(present, key, declared=patterns)
    return 0


def save_from_state() -> int:
    key = gha.get_state(STATE_KEY)
    if not key:
        gha.warning("Key is not specified.")
        return 0
    if gha.get_state(STATE_MATCHED) == key:
        gha.info(f"Cache hit occurred on the primary key {key}, not saving cache.")
        kit.record("cache.save", key, {"saved": False, "skipped": True, "reason": "exact key hit"})
        return 0
    return save(key, _lines(gha.get_state(STATE_PATHS)))


def save_inputs() -> int:
    """The ``save/`` sub-action: save ``path`` under ``key`` now."""
    return save(gha.get_input("key", required=True), _lines(gha.get_input("path", required=True)))
