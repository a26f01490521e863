"""Build the kiln example's distributions with the standard library only.

    python3 tools/build_wheel.py sdk DIST      cog-<v>-py3-none-any.whl and cog-<v>.tar.gz
    python3 tools/build_wheel.py coglet DIST   coglet-<v>-cp310-abi3-linux_x86_64.whl
                                               (with crates/target/release/libcoglet.rlib)
"""

import base64
import hashlib
import io
import pathlib
import sys
import tarfile
import zipfile

VERSION = "0.1.0"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def wheel(dist: pathlib.Path, name: str, tag: str, files: dict[str, bytes]) -> pathlib.Path:
    info = f"{name}-{VERSION}.dist-info"
    files = dict(files)
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {VERSION}\n".encode()
    files[f"{info}/WHEEL"] = f"Wheel-Version: 1.0\nGenerator: kiln\nRoot-Is-Purelib: true\nTag: {tag}\n".encode()
    record = [_record_line(n, d) for n, d in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    path = dist / f"{name}-{VERSION}-{tag}.whl"
    with zipfile.ZipFile(path, "w") as whl:
        for n, d in files.items():
            whl.writestr(n, d)
    return path


def main(kind: str, dist: pathlib.Path) -> None:
    dist.mkdir(parents=True, exist_ok=True)
    if kind == "sdk":
        sources = {str(p.relative_to("python")): p.read_bytes() for p in pathlib.Path("python/cog").glob("*.py")}
        print(wheel(dist, "cog", "py3-none-any", sources))
        sdist = dist / f"cog-{VERSION}.tar.gz"
        with tarfile.open(sdist, "w:gz") as tar:
            for n, d in sources.items():
                entry = tarfile.TarInfo(f"cog-{VERSION}/{n}")
                entry.size = len(d)
                tar.addfile(entry, io.BytesIO(d))
        print(sdist)
    elif kind == "coglet":
        lib = pathlib.Path("crates/target/release/libcoglet.rlib")
        files = {"coglet/__init__.py": f'__version__ = "{VERSION}"\n'.encode()}
        if lib.exists():
            files["coglet/libcoglet.rlib"] = lib.read_bytes()
        print(wheel(dist, "coglet", "cp310-abi3-linux_x86_64", files))
    else:
        sys.exit(f"unknown kind {kind!r}: sdk or coglet")


if __name__ == "__main__":
    main(sys.argv[1], pathlib.Path(sys.argv[2]))
