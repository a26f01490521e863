@section:package-versioning @real-work:the-version-conversion-verify-tag-runs
Feature: One version, from crates/Cargo.toml, in the format of each registry
  "Package Versioning": lockstep versioning from `crates/Cargo.toml`; PyPI packages use
  PEP 440, crates.io and the CLI semver; "Version conversion (semver → PEP 440)" gives the
  table below; "The SDK's optional dependency `cog[coglet]` requires
  `coglet>=<version>,<1.0`".

  `verify-tag` converts the version once (tools/version.py) and hands it to the builds as
  its outputs.  The stable and 0.17.0-alpha3 rows are full releases (their wheel names are
  checked in stable_release.feature and prerelease.feature).  To keep the other rows to one
  short job each, their tag is pushed from a scratch branch: `verify-tag` converts the
  version and then refuses the branch, so nothing is built.

  Scenario Outline: A release of Cargo.toml version <semver> is PEP 440 version <pep440>
    Given the release-build workflow
    And <commit>
    And the tag v<semver> is pushed
    When the workflow runs
    Then `verify-tag` outputs version "<semver>" and pep440 "<pep440>" and prerelease "<prerelease>"
    And `verify-tag` succeeds

    Examples:
      | semver        | pep440   | prerelease | commit                                                                                        |
      | 0.17.0        | 0.17.0   | false      | the tip of main at version 0.17.0                                                             |
      | 0.17.0-alpha3 | 0.17.0a3 | true       | a commit on prerelease/0.17.0 that sets the version in crates/Cargo.toml to 0.17.0-alpha3 |

  Scenario Outline: `verify-tag` converts <semver> to <pep440>
    Given the release-build workflow
    And a commit on scratch/versions that sets the version in crates/Cargo.toml to <semver>
    And the tag v<semver> is pushed
    When the workflow runs
    Then `verify-tag` outputs version "<semver>" and pep440 "<pep440>"

    Examples:
      | semver         | pep440      |
      | 0.17.0-beta1   | 0.17.0b1    |
      | 0.17.0-rc1     | 0.17.0rc1   |
      | 0.17.0-dev1    | 0.17.0.dev1 |
      | 0.17.0-rc10    | 0.17.0rc10  |
      | 0.17.0-alpha.1 | 0.17.0a1    |

  Scenario Outline: The published SDK <version> requires coglet <version> or later, below 1.0, for cog[coglet]
    Given the release-publish workflow
    And <draft>
    When a maintainer publishes the draft release
    Then the published "cog" <version> requires "coglet>=<version>,<1.0" for its extra "coglet"

    Examples:
      | version  | draft                                                                                                                              |
      | 0.17.0   | the draft release v0.17.0 that release-build made from the tip of main                                                             |
      | 0.17.0a3 | the draft release v0.17.0-alpha3 that release-build made from a commit on prerelease/0.17.0 setting the version to 0.17.0-alpha3 |

  Scenario Outline: What was published for <version> installs with pip, cog and coglet alike
    Given the release-publish workflow
    And <draft>
    When a maintainer publishes the draft release
    Then "cog[coglet]==<version>" installs with pip from that PyPI, with cog <version> and coglet <version>

    Examples:
      | version  | draft                                                                                                                              |
      | 0.17.0   | the draft release v0.17.0 that release-build made from the tip of main                                                             |
      | 0.17.0a3 | the draft release v0.17.0-alpha3 that release-build made from a commit on prerelease/0.17.0 setting the version to 0.17.0-alpha3 |
