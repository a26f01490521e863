"""Formatting check of the kiln example: no tabs and no trailing blanks in the given trees."""

import pathlib
import sys

bad = []
for root in sys.argv[1:]:
    for path in sorted(pathlib.Path(root).rglob("*")):
        if path.suffix in (".py", ".md") and path.is_file():
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if "\t" in line or line != line.rstrip():
                    bad.append(f"{path}:{n}")
if bad:
    sys.exit("formatting needed: " + ", ".join(bad))
print("formatting ok")
