"""Run the real twine, adding the kit's caller headers to requests sent to the mock PyPI.

twine knows nothing of the kit; without ``X-Actspec-Job`` the mock PyPI could not say
which job uploaded a file.  Only requests to ``$ACTSPEC_PYPI_URL`` get the headers; the
rest of twine (argument parsing, checks, upload, error reporting) is unchanged.

    python3 twine_with_identity.py upload --repository-url ... dist/*
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.environ.get("ACTSPEC_SHIM_LIB", "/actspec/lib"))

import requests  # noqa: E402
from actspec_shim import kit  # noqa: E402

_MOCK = os.environ.get("ACTSPEC_PYPI_URL", "").rstrip("/")
_request = requests.Session.request


def _identified(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def]
    if _MOCK and str(url).startswith(_MOCK):
        headers = dict(kwargs.get("headers") or {})
        for key, value in kit.identity_headers().items():
            headers.setdefault(key, value)
        kwargs["headers"] = headers
    return _request(self, method, url, *args, **kwargs)


requests.Session.request = _identified  # type: ignore[method-assign]

if __name__ == "__main__":
    from twine.__main__ import main

    sys.argv = ["twine", *sys.argv[1:]]
    sys.exit(main())
