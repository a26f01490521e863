@section:release-workflow @section:stable-releases @real-work:publishing
Feature: Publishing the draft release publishes coglet, then the SDK
  "Release Workflow": when a maintainer publishes the draft, release-publish.yaml runs:
  `verify-release` checks the tag, `publish-pypi-coglet` and `publish-crates-io` publish
  coglet, and `publish-pypi-sdk` publishes the SDK only after coglet ("SDK waits for coglet
  via needs: dependency").  "All publishing uses OIDC trusted publishing (no long-lived
  tokens)", from the environments `pypi` and `crates-io`.  The packages are the very files
  attached to the draft, which release-build made from the tag v0.17.0 on main.

  Background:
    Given the release-publish workflow
    And the draft release v0.17.0 that release-build made from the tip of main
    When a maintainer publishes the draft release

  Scenario: Every publishing job runs and succeeds
    Then only these jobs run: `verify-release`, `publish-pypi-coglet`, `publish-pypi-sdk`, `publish-crates-io`
    And every job succeeds

  Scenario: coglet reaches PyPI and crates.io; the SDK reaches PyPI after coglet
    Then PyPI receives one "coglet-0.17.0-cp310-abi3-*.whl" for each of linux x64, linux arm64 and macos arm64
    And PyPI receives "cog-0.17.0-py3-none-any.whl" and "cog-0.17.0.tar.gz"
    And crates.io receives "coglet@0.17.0"
    And "coglet" reaches PyPI before "cog"
    And `publish-pypi-sdk` started after `publish-pypi-coglet` finished

  Scenario: Every upload was authorised by trusted publishing from its environment
    Then every upload was authorised by a token minted for "release-publish.yaml" in its job's environment
