"""Deliberately broken copies of the release workflows (and the version tool they use).

Each entry: (name, path in the repository under test, text to replace, replacement, ``-k``
expression selecting scenarios of which at least one must fail against the broken copy).
"""

BUILD = ".github/workflows/release-build.yaml"
PUBLISH = ".github/workflows/release-publish.yaml"
VERSION_TOOL = "tools/version.py"

# Each breaks what is built or published: only a full run sees it.
MODE = "full"

MUTATIONS = [
    (
        # "SDK waits for coglet via needs: dependency"
        "sdk-publish-does-not-wait-for-coglet",
        PUBLISH,
        "    needs: [verify-release, publish-pypi-coglet]\n",
        "    needs: [verify-release]\n",
        "in_releasepublish_job_declares_that_it_depends_on_upstream or the_sdk_is_never_uploaded",
    ),
    (
        # "Stable tags (v0.17.0): must be on main"
        "branch-rule-accepts-any-branch",
        BUILD,
        "            if ! grep -qx 'main' <<<\"$branches\"; then\n",
        "            if false; then\n",
        "stable_tag_on_a_commit_that_is_only_on",
    ),
    (
        # "Pre-release tags (v0.17.0-alpha3): must be on prerelease/*"
        "prerelease-rule-accepts-any-branch",
        BUILD,
        "            if ! grep -q '^prerelease/.' <<<\"$branches\"; then\n",
        "            if false; then\n",
        "prerelease_tag_on_main_is_refused",
    ),
    (
        # "0.17.0-rc1 → 0.17.0rc1": -rc1 mapped to a post-release instead
        "conversion-maps-rc-wrongly",
        VERSION_TOOL,
        '_PEP440_LABEL = {"alpha": "a", "beta": "b", "rc": "rc", "dev": ".dev"}',
        '_PEP440_LABEL = {"alpha": "a", "beta": "b", "rc": ".post", "dev": ".dev"}',
        "verifytag_converts and rc1",
    ),
    (
        # "Cargo.toml version must match the tag": the check is dropped
        "cargo-version-not-checked",
        BUILD,
        '          python3 tools/version.py --check-tag "$TAG"\n          version=',
        "          version=",
        "differs_from_cratescargotoml",
    ),
    (
        # "All publishing uses OIDC trusted publishing": the crate job loses its environment
        "crates-job-without-environment",
        PUBLISH,
        "    environment:\n      name: crates-io\n      url: https://crates.io/crates/coglet\n",
        "",
        "every_publishing_job_runs_and_succeeds or coglet_reaches_pypi_and_cratesio",
    ),
]
