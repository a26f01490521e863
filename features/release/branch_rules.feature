@section:release-workflow @section:stable-releases @section:pre-releases @real-work:the-checks-verify-tag-runs
Feature: `verify-tag` enforces the branch rules and the Cargo.toml version before anything is built
  "Branch rules": stable tags (`v0.17.0`) must be on main, pre-release tags
  (`v0.17.0-alpha3`) on a `prerelease/*` branch.  "Stable Releases" step 1: Cargo.toml must
  hold the release's version.  `verify-tag` ("must be main") checks both; when it fails,
  nothing is built and no release is created.

  Scenario Outline: A stable tag on a commit that is only on <branch> is refused
    Given the release-build workflow
    And a commit on <branch> that changes docs, at version 0.17.0
    And the tag v0.17.0 is pushed
    When the workflow runs
    Then `verify-tag` fails
    And the log of `verify-tag` names "v0.17.0" and "main"
    And these jobs are skipped: `build-sdk`, `build-coglet-wheels`, `create-draft-release`
    And nothing is built
    And no release is created

    Examples:
      | branch            |
      | feature/y         |
      | prerelease/0.17.0 |

  Scenario: A pre-release tag on main is refused
    Given the release-build workflow
    And a commit on main that sets the version in crates/Cargo.toml to 0.17.0-alpha3
    And the tag v0.17.0-alpha3 is pushed
    When the workflow runs
    Then `verify-tag` fails
    And the log of `verify-tag` names "v0.17.0-alpha3" and "prerelease/"
    And these jobs are skipped: `build-sdk`, `build-coglet-wheels`, `create-draft-release`
    And nothing is built
    And no release is created

  Scenario: A tag whose version differs from crates/Cargo.toml is refused
    Given the release-build workflow
    And the tip of main at version 0.17.0
    And the tag v0.18.0 is pushed
    When the workflow runs
    Then `verify-tag` fails
    And the log of `verify-tag` names "v0.18.0" and "0.17.0"
    And these jobs are skipped: `build-sdk`, `build-coglet-wheels`, `create-draft-release`
    And nothing is built
    And no release is created
