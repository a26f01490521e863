"""Integration check of the kiln example: the wheels in dist/ are there and are zip files."""

import glob
import sys
import zipfile

runtime = sys.argv[1] if len(sys.argv) > 1 else "cog"
wanted = ["dist/cog-*.whl"] + (["dist/coglet-*-cp310-abi3-*.whl"] if runtime == "cog-rust" else [])
for pattern in wanted:
    found = glob.glob(pattern)
    if not found:
        sys.exit(f"no {pattern}")
    with zipfile.ZipFile(found[0]) as whl:
        print(found[0], len(whl.namelist()), "entries")
