@section:release-workflow @real-work:publishing
Feature: A failed or refused coglet upload stops the SDK; refusals are reported
  "SDK waits for coglet via needs: dependency": `cog[coglet]` needs the coglet of its
  version on PyPI, so the SDK must never be published without it.  A version that is
  already on a registry fails the job with a message saying so: PyPI refuses the upload
  (twine prints its answer), and cargo sees the version in the crates.io index and stops
  before uploading.

  Scenario: When the coglet upload fails, the SDK is never uploaded
    Given the release-publish workflow
    And the draft release v0.17.0 that release-build made from the tip of main
    And the job `publish-pypi-coglet` fails
    When a maintainer publishes the draft release
    Then `publish-pypi-coglet` fails
    And `publish-pypi-sdk` is skipped
    And PyPI receives no file of "cog"
    And PyPI receives no file of "coglet"
    And crates.io receives "coglet@0.17.0"

  Scenario: Publishing a version the registries already have is refused, and the workflow says so
    Given the release-publish workflow
    And the draft release v0.17.0 that release-build made from the tip of main
    And PyPI already has "cog==0.17.0"
    And PyPI already has the file "cog-0.17.0-py3-none-any.whl"
    And crates.io already has "coglet@0.17.0"
    When a maintainer publishes the draft release
    Then `publish-pypi-sdk` fails
    And PyPI refuses "cog" with "File already exists"
    And the log of `publish-pypi-sdk` says "File already exists"
    And `publish-crates-io` fails
    And the log of `publish-crates-io` says "coglet@0.17.0 already exists"
    And `publish-pypi-coglet` succeeds
