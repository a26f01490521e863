"""actspec shim for goreleaser/goreleaser-action: a documented subset of goreleaser v2.

What ``goreleaser release`` does here, in goreleaser's order (see README.md for the
configuration keys honoured; any other key fails the step rather than being ignored):

1. read ``.goreleaser.yaml`` (``version: 2``);
2. git checks: a clean working tree, a semver tag pointing at HEAD (``--snapshot`` skips
   both and publishes nothing);
3. ``dist/`` must be empty unless ``--clean``;
4. ``before.hooks``;
5. ``builds``: ``go build`` of ``main`` for every goos/goarch (minus ``ignore``) with
   ``env``, ``flags`` and templated ``ldflags`` into ``dist/<id>_<os>_<arch><suffix>/``;
6. ``archives``: ``binary`` or ``tar.gz`` per build target, named by ``name_template``;
7. ``checksum``: a sha256 file over the archives;
8. ``release``: the GitHub release of the tag (``draft``, ``prerelease: auto``,
   ``replace_existing_draft``, ``name_template``), then every archive and the checksum
   file uploaded as assets.

The GitHub API is ``$GITHUB_API_URL`` (the kit's mock GitHub); real goreleaser reads
``github_urls.api`` and defaults to api.github.com.  Templates support ``{{ .Field }}`` and
``{{ .Env.NAME }}`` only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tarfile
import urllib.parse
from typing import Any

from actspec_shim import gha, miniyaml
from actspec_shim.idtoken import call

CONFIG_NAMES = (".goreleaser.yml", ".goreleaser.yaml", "goreleaser.yml", "goreleaser.yaml")
SEMVER = re.compile(r"^v?(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
                    r"(?:-(?P<pre>[0-9A-Za-z.-]+))?(?:\+(?P<meta>[0-9A-Za-z.-]+))?$")
TEMPLATE = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
ALLOWED = {
    "": {"version", "project_name", "before", "builds", "archives", "checksum", "release", "changelog", "dist"},
    "before": {"hooks"},
    "build": {"id", "main", "binary", "env", "goos", "goarch", "ignore", "ldflags", "flags", "dir", "skip"},
    "archive": {"id", "ids", "builds", "formats", "format", "name_template", "files", "wrap_in_directory"},
    "checksum": {"name_template", "algorithm", "disable"},
    "release": {"draft", "prerelease", "name_template", "replace_existing_draft", "disable", "make_latest",
                "mode", "github", "skip_upload"},
    "changelog": {"disable", "use", "sort"},
}
ARCH_SUFFIX = {"amd64": "_v1", "arm64": "_v8.0", "arm": "_6", "386": "_sse2"}


class Failure(Exception):
    """goreleaser stops with this message (printed as ``⨯ release failed after ...``)."""


def log(message: str, indent: int = 0) -> None:
    gha.info("  " * indent + "• " + message)


def check_keys(section: str, where: str, data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Failure(f"{where}: expected a mapping")
    unknown = sorted(set(data) - ALLOWED[section])
    if unknown:
        raise Failure(f"{where}: {', '.join(unknown)} not emulated by the actspec goreleaser shim "
                      f"(supported: {', '.join(sorted(ALLOWED[section]))})")
    return data


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# ---------------------------------------------------------------- templates


def render(template: str, ctx: dict[str, Any], what: str) -> str:
    def one(match: re.Match[str]) -> str:
        expr = match.group(1).strip()
        if expr.startswith(".Env."):
            name = expr[len(".Env."):]
            if name not in os.environ:
                raise Failure(f"{what}: template: {template!r}: map has no entry for key {name!r}")
            return os.environ[name]
        if re.fullmatch(r"\.[A-Za-z]+", expr):
            key = expr[1:]
            if key not in ctx:
                raise Failure(f"{what}: template: {template!r}: can't evaluate field {key}")
            value = ctx[key]
            return ("true" if value else "false") if isinstance(value, bool) else str(value)
        raise Failure(f"{what}: template expression {{{{ {expr} }}}} not emulated by the actspec shim "
                      "(only {{ .Field }} and {{ .Env.NAME }})")

    return TEMPLATE.sub(one, str(template))


# ---------------------------------------------------------------- git


def git(*args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", "-c", "safe.directory=*", *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise Failure(f"git {' '.join(args)}: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout.strip()


def git_facts(snapshot: bool, validate: bool) -> dict[str, Any]:
    commit = git("rev-parse", "HEAD")
    if validate and not snapshot:
        dirty = git("status", "--porcelain")
        if dirty:
            raise Failure("git is in a dirty state\nPlease check in your pipeline what can be changing the "
                          "following files:\n" + dirty)
    tag = os.environ.get("GORELEASER_CURRENT_TAG", "").strip()
    if not tag:
        tags = git("tag", "--points-at", "HEAD", "--sort=-version:refname", check=False).splitlines()
        tag = tags[0].strip() if tags else ""
    if not tag:
        if not snapshot:
            raise Failure("git doesn't contain any tags pointing at HEAD. Either add a tag or use --snapshot")
        tag = "v0.0.0"
    elif validate and not snapshot:
        tagged = git("rev-list", "-n", "1", tag, check=False)
        if tagged != commit:
            raise Failure(f"git tag {tag} was not made against commit {commit}")
    m = SEMVER.match(tag)
    if m is None:
        raise Failure(f"failed to parse tag '{tag}' as semver: Invalid Semantic Version")
    previous = git("describe", "--tags", "--abbrev=0", f"{commit}^", check=False) if not snapshot else ""
    branch = git("rev-parse", "--abbrev-ref", "HEAD", check=False)
    version = tag[1:] if tag.startswith("v") else tag
    if snapshot:
        version = f"{version}-SNAPSHOT-{commit[:7]}"
    return {
        "Tag": tag, "PreviousTag": previous, "Version": version, "RawVersion": version.split("-")[0],
        "Major": m.group("major"), "Minor": m.group("minor"), "Patch": m.group("patch"),
        "Prerelease": m.group("pre") or "", "Commit": commit, "FullCommit": commit, "ShortCommit": commit[:7],
        "Branch": branch, "IsSnapshot": snapshot,
    }


def github_repo(release: dict[str, Any]) -> str:
    gh = release.get("github") or {}
    if gh:
        return f"{gh.get('owner')}/{gh.get('name')}"
    url = git("remote", "get-url", "origin", check=False)
    m = re.search(r"github\.com[:/]([^/]+)/([^/]+?)(?:\.git)?$", url)
    if m:
        return f"{m.group(1)}/{m.group(2)}"
    repo = os.environ.get("GITHUB_REPOSITORY", "")
    if not repo:
        raise Failure("could not tell the GitHub repository: no github.com origin remote and no GITHUB_REPOSITORY")
    return repo


# ---------------------------------------------------------------- pipeline


def build(cfg: dict[str, Any], ctx: dict[str, Any], dist: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n, raw in enumerate(as_list(cfg.get("builds")) or [{}]):
        b = check_keys("build", f"builds[{n}]", raw)
        if b.get("skip"):
            continue
        bid = str(b.get("id") or ctx["ProjectName"])
        binary = str(b.get("binary") or ctx["ProjectName"])
        main = str(b.get("main") or ".")
        goos = [str(x) for x in as_list(b.get("goos")) or ["darwin", "linux", "windows"]]
        goarch = [str(x) for x in as_list(b.get("goarch")) or ["386", "amd64", "arm64"]]
        ignore = [(str(i.get("goos", "")), str(i.get("goarch", ""))) for i in as_list(b.get("ignore"))]
        for os_ in goos:
            for arch in goarch:
                if any((not io or io == os_) and (not ia or ia == arch) for io, ia in ignore):
                    continue
                tctx = {**ctx, "Os": os_, "Arch": arch, "Target": f"{os_}_{arch}{ARCH_SUFFIX.get(arch, '')}",
                        "Binary": binary}
                folder = os.path.join(dist, f"{bid}_{tctx['Target']}")
                path = os.path.join(folder, binary + (".exe" if os_ == "windows" else ""))
                env = dict(os.environ)
                for item in as_list(b.get("env")):
                    key, _, value = render(str(item), tctx, f"builds[{n}].env").partition("=")
                    env[key] = value
                env.update({"GOOS": os_, "GOARCH": arch})
                ldflags = " ".join(render(str(f), tctx, f"builds[{n}].ldflags") for f in as_list(b.get("ldflags")))
                cmd = ["go", "build", *[render(str(f), tctx, f"builds[{n}].flags") for f in as_list(b.get("flags"))]]
                if ldflags:
                    cmd.append(f"-ldflags={ldflags}")
                cmd += ["-o", os.path.abspath(path), main]
                log(f"building binary={path}", 1)
                proc = subprocess.run(cmd, env=env, cwd=str(b.get("dir") or "."), capture_output=True, text=True)
                if proc.returncode != 0:
                    raise Failure(f"build failed: {path}: exit status {proc.returncode}: "
                                  f"{(proc.stderr or proc.stdout).strip()}")
                out.append({"name": binary, "path": path, "goos": os_, "goarch": arch, "internal_type": 4,
                            "type": "Binary", "extra": {"ID": bid, "Binary": binary}, "ctx": tctx})
    return out


def archive(cfg: dict[str, Any], ctx: dict[str, Any], binaries: list[dict[str, Any]],
            dist: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n, raw in enumerate(as_list(cfg.get("archives")) or [{}]):
        a = check_keys("archive", f"archives[{n}]", raw)
        formats = [str(f) for f in as_list(a.get("formats") or a.get("format")) or ["tar.gz"]]
        for fmt in formats:
            if fmt not in ("binary", "tar.gz"):
                raise Failure(f"archives[{n}]: format {fmt!r} not emulated by the actspec shim (binary, tar.gz)")
        ids = [str(i) for i in as_list(a.get("ids") or a.get("builds"))]
        template = str(a.get("name_template") or "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}")
        for art in binaries:
            if ids and art["extra"]["ID"] not in ids:
                continue
            name = render(template, art["ctx"], f"archives[{n}].name_template")
            for fmt in formats:
                if fmt == "binary":
                    target = os.path.join(dist, name + (".exe" if art["goos"] == "windows" else ""))
                    shutil.copy2(art["path"], target)
                else:
                    target = os.path.join(dist, name + ".tar.gz")
                    with tarfile.open(target, "w:gz") as tf:
                        prefix = name + "/" if a.get("wrap_in_directory") else ""
                        tf.add(art["path"], arcname=prefix + os.path.basename(art["path"]))
                        for pattern in as_list(a.get("files")):
                            for f in sorted(subprocess.run(["bash", "-O", "globstar", "-O", "nullglob", "-c",
                                                            f"printf '%s\\n' {pattern}"],
                                                           capture_output=True, text=True).stdout.split()):
                                tf.add(f, arcname=prefix + f)
                log(f"archiving name={target}", 1)
                out.append({"name": os.path.basename(target), "path": target, "goos": art["goos"],
                            "goarch": art["goarch"], "type": "Archive" if fmt != "binary" else "Binary",
                            "extra": {"ID": art["extra"]["ID"], "Format": fmt}})
    return out


def checksum(cfg: dict[str, Any], ctx: dict[str, Any], archives: list[dict[str, Any]],
             dist: str) -> list[dict[str, Any]]:
    c = check_keys("checksum", "checksum", cfg.get("checksum"))
    if c.get("disable"):
        return []
    if str(c.get("algorithm") or "sha256") != "sha256":
        raise Failure("checksum.algorithm: only sha256 is emulated by the actspec shim")
    name = render(str(c.get("name_template") or "{{ .ProjectName }}_{{ .Version }}_checksums.txt"), ctx,
                  "checksum.name_template")
    lines = []
    for art in sorted(archives, key=lambda a: a["name"]):
        with open(art["path"], "rb") as fh:
            lines.append(f"{hashlib.sha256(fh.read()).hexdigest()}  {art['name']}\n")
    path = os.path.join(dist, name)
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(lines)
    log(f"checksumming file={name}", 1)
    return [{"name": name, "path": path, "type": "Checksum", "extra": {}}]


def changelog(cfg: dict[str, Any], ctx: dict[str, Any]) -> str:
    c = check_keys("changelog", "changelog", cfg.get("changelog"))
    if c.get("disable"):
        return ""
    rng = f"{ctx['PreviousTag']}..{ctx['Tag']}" if ctx["PreviousTag"] else ctx["Tag"]
    entries = git("log", "--pretty=format:* %H %s", rng, check=False)
    return "## Changelog\n" + entries + "\n"


def publish(cfg: dict[str, Any], ctx: dict[str, Any], uploads: list[dict[str, Any]], body: str) -> None:
    rel = check_keys("release", "release", cfg.get("release"))
    if rel.get("disable"):
        log("release disabled", 1)
        return
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        raise Failure("missing GITHUB_TOKEN, GITLAB_TOKEN and GITEA_TOKEN: the release needs one of them")
    api = os.environ.get("GITHUB_API_URL", "").rstrip("/")
    if not api:
        raise Failure("GITHUB_API_URL is not set")
    repo = github_repo(rel)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json"}
    log(f"GitHub API {api} (actspec: goreleaser's default would be https://api.github.com/)", 1)
    prerelease_cfg = rel.get("prerelease", False)
    prerelease = bool(ctx["Prerelease"]) if str(prerelease_cfg) == "auto" else bool(prerelease_cfg)
    draft = bool(rel.get("draft", False))
    name = render(str(rel.get("name_template") or "{{ .Tag }}"), ctx, "release.name_template")
    base = f"{api}/repos/{repo}/releases"
    if rel.get("replace_existing_draft"):
        reply = call("GET", f"{base}?per_page=100", headers=headers)
        if not reply.ok:
            raise Failure(f"could not list releases: {reply.status} {reply.message()}")
        for old in reply.json() or []:
            if old.get("draft") and old.get("tag_name") == ctx["Tag"] and old.get("name") == name:
                gone = call("DELETE", f"{base}/{old['id']}", headers=headers)
                if not gone.ok:
                    raise Failure(f"could not delete the existing draft {old['id']}: {gone.status} {gone.message()}")
                log(f"deleted existing draft release id={old['id']}", 1)
    existing = call("GET", f"{base}/tags/{urllib.parse.quote(ctx['Tag'], safe='')}", headers=headers)
    if existing.ok:
        current = existing.json()
        data = {"tag_name": ctx["Tag"], "name": name, "prerelease": prerelease}
        reply = call("PATCH", f"{base}/{current['id']}", json_body=data, headers=headers)
        verb = "updated"
    else:
        data = {"tag_name": ctx["Tag"], "name": name, "body": body, "draft": draft, "prerelease": prerelease}
        reply = call("POST", base, json_body=data, headers=headers)
        verb = "created"
    if not reply.ok:
        raise Failure(f"could not release: {reply.status} {reply.message()}")
    release = reply.json()
    log(f"release {verb} id={release['id']} draft={release.get('draft')} prerelease={release.get('prerelease')} "
        f"url={release.get('html_url')}", 1)
    if rel.get("skip_upload"):
        return
    upload_url = re.sub(r"\{.*\}$", "", str(release["upload_url"]))
    for art in uploads:
        with open(art["path"], "rb") as fh:
            data_bytes = fh.read()
        reply = call("POST", f"{upload_url}?name={urllib.parse.quote(art['name'])}", data=data_bytes,
                     headers={**headers, "Content-Type": "application/octet-stream"})
        if not reply.ok:
            raise Failure(f"failed to upload {art['name']} after 1 tries: {reply.status} {reply.message()}")
        log(f"uploaded file={art['name']}", 2)


def parse_args(text: str) -> tuple[str, dict[str, Any]]:
    argv = shlex.split(text)
    if not argv:
        raise Failure("args: no goreleaser command given")
    command, rest = argv[0], argv[1:]
    if command not in ("release", "build", "check"):
        raise Failure(f"goreleaser {command}: not emulated by the actspec shim (release, build, check)")
    opts: dict[str, Any] = {"clean": False, "snapshot": False, "skip": set(), "config": "", "draft": None}
    i = 0
    while i < len(rest):
        arg = rest[i]
        flag, eq, value = arg.partition("=")
        if flag in ("--clean", "--rm-dist"):
            opts["clean"] = True
        elif flag == "--snapshot":
            opts["snapshot"] = True
        elif flag == "--draft":
            opts["draft"] = True
        elif flag in ("--skip", "-f", "--config", "--parallelism", "-p", "--timeout"):
            if not eq:
                i += 1
                if i >= len(rest):
                    raise Failure(f"flag needs an argument: {flag}")
                value = rest[i]
            if flag == "--skip":
                opts["skip"] |= {s.strip() for s in value.split(",") if s.strip()}
            elif flag in ("-f", "--config"):
                opts["config"] = value
        elif flag in ("--verbose", "--debug"):
            pass
        else:
            raise Failure(f"unknown flag: {arg} (not emulated by the actspec goreleaser shim)")
        i += 1
    return command, opts


def run() -> int:
    if gha.get_input("distribution", "goreleaser") != "goreleaser":
        gha.fail("distribution goreleaser-pro is not emulated by the actspec shim")
    if gha.get_bool_input("install-only", False):
        gha.fail("install-only is not emulated: the actspec shim has no goreleaser binary to put on PATH")
    gha.info(f"goreleaser {gha.get_input('version', '~> v2')} requested; running the actspec shim's subset of v2")
    try:
        command, opts = parse_args(gha.get_input("args", required=True))
        os.chdir(os.path.join(gha.workspace(), gha.get_input("workdir", ".")))
        path = opts["config"] or next((p for p in CONFIG_NAMES if os.path.isfile(p)), "")
        if not path or not os.path.isfile(path):
            raise Failure(f"could not find a configuration file ({', '.join(CONFIG_NAMES)})")
        log(f"loading path={path}")
        try:
            with open(path, encoding="utf-8") as fh:
                cfg = check_keys("", path, miniyaml.loads(fh.read()))
        except miniyaml.YamlError as exc:
            raise Failure(f"{path}: {exc}") from None
        if cfg.get("version") != 2:
            raise Failure(f"{path}: only configurations files on version: 2 are supported, yours is "
                          f"version: {cfg.get('version', 0)}")
        check_keys("before", "before", cfg.get("before"))
        if command == "check":
            log("config is valid")
            return 0
        snapshot = opts["snapshot"] or command == "build"
        ctx = {"ProjectName": str(cfg.get("project_name") or os.path.basename(os.getcwd()))}
        ctx.update(git_facts(snapshot, "validate" not in opts["skip"]))
        log(f"git state current_tag={ctx['Tag']} commit={ctx['Commit']}", 1)
        dist = str(cfg.get("dist") or "dist")
        if opts["clean"]:
            shutil.rmtree(dist, ignore_errors=True)
        elif os.path.isdir(dist) and os.listdir(dist):
            raise Failure(f"{dist} is not empty, remove it before running goreleaser or use the --clean flag")
        os.makedirs(dist, exist_ok=True)
        for hook in as_list((cfg.get("before") or {}).get("hooks")):
            cmd = render(str(hook), ctx, "before.hooks")
            log(f"running hook={cmd}", 1)
            proc = subprocess.run(cmd, shell=True)
            if proc.returncode != 0:
                raise Failure(f"hook failed: {cmd}: exit status {proc.returncode}")
        log("building binaries")
        binaries = build(cfg, ctx, dist)
        if command == "build":
            return 0
        log("archives")
        archives = archive(cfg, ctx, binaries, dist)
        sums = checksum(cfg, ctx, archives, dist)
        uploads = archives + sums
        if opts["draft"]:
            cfg.setdefault("release", {})["draft"] = True
        if snapshot or "publish" in opts["skip"]:
            log("publishing skipped (snapshot or --skip=publish)")
        else:
            log("publishing: GitHub release")
            publish(cfg, ctx, uploads, changelog(cfg, ctx))
        artifacts = [{k: v for k, v in a.items() if k != "ctx"} for a in binaries + uploads]
        gha.set_output("artifacts", json.dumps(artifacts))
        gha.set_output("metadata", json.dumps({"project_name": ctx["ProjectName"], "tag": ctx["Tag"],
                                               "previous_tag": ctx["PreviousTag"], "version": ctx["Version"],
                                               "commit": ctx["Commit"]}))
        log("release succeeded")
        return 0
    except Failure as exc:
        gha.fail(f"release failed: {exc}")


if __name__ == "__main__":
    gha.main(run)
