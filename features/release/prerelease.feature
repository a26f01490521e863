@section:pre-releases @section:release-workflow @section:package-versioning @real-work:building-and-publishing
Feature: A pre-release is built from a prerelease/* branch and published like a stable one
  "Pre-releases": on `prerelease/0.17.0`, Cargo.toml is set to `0.17.0-alpha3` ("the single
  source of truth for ALL package versions"), committed, and `v0.17.0-alpha3` is tagged and
  pushed; then "Same flow as stable: review draft → publish".  "Package Versioning": the
  Python packages carry the PEP 440 spelling `0.17.0a3`, the crate and the CLI the semver
  `0.17.0-alpha3`.  The draft's programs and wheels are told by what they are, as in
  stable_release.feature: a CLI by its executable header, a wheel by its platform tag.

  Scenario: The pre-release tag on its prerelease branch builds a draft pre-release
    Given the release-build workflow
    And a commit on prerelease/0.17.0 that sets the version in crates/Cargo.toml to 0.17.0-alpha3
    And the tag v0.17.0-alpha3 is pushed
    When the workflow runs
    Then every job succeeds
    And `verify-tag` outputs version "0.17.0-alpha3" and pep440 "0.17.0a3" and prerelease "true"
    And the draft release v0.17.0-alpha3 holds exactly these programs, wheels and sdists:
      | asset                                             |
      | the CLI for linux x64                             |
      | the CLI for linux arm64                           |
      | the CLI for macos arm64                           |
      | coglet-0.17.0a3-cp310-abi3-*.whl for linux x64    |
      | coglet-0.17.0a3-cp310-abi3-*.whl for linux arm64  |
      | coglet-0.17.0a3-cp310-abi3-*.whl for macos arm64  |
      | cog-0.17.0a3-py3-none-any.whl                     |
      | cog-0.17.0a3.tar.gz                               |
    And the release v0.17.0-alpha3 is marked as a pre-release

  Scenario: Every artifact of the pre-release carries 0.17.0-alpha3 in its own format
    Given the release-publish workflow
    And the draft release v0.17.0-alpha3 that release-build made from a commit on prerelease/0.17.0 setting the version to 0.17.0-alpha3
    When a maintainer publishes the draft release
    Then every job succeeds
    And the CLI for linux x64 of the release v0.17.0-alpha3 reports version 0.17.0-alpha3
    And every wheel and sdist of the release v0.17.0-alpha3 has version 0.17.0a3
    And PyPI holds exactly "cog" 0.17.0a3 and "coglet" 0.17.0a3
    And crates.io receives "coglet@0.17.0-alpha3"
    And "coglet" reaches PyPI before "cog"
