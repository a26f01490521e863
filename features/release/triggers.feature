@section:release-workflow
Feature: Version tags start release-build; publishing a release starts release-publish
  "release-build.yaml: Triggered by version tags (`v*.*.*`)"; "release-publish.yaml:
  Triggered when a draft release is published".

  act starts a workflow for every event of its name and ignores `tags` and `types` filters
  (docs/fidelity.md F1): the filters are checked as the workflows declare them, the "does
  not start" behaviour is a strict xfail, and the workflows' own guards (`verify-tag`,
  `verify-release`) are checked through act.

  Scenario: release-build declares the version-tag trigger
    Given the release-build workflow
    Then the workflow is triggered only by push
    And its tag filter matches v0.17.0, v0.17.0-alpha3, v0.17.0-rc10 and v1.2.3
    And its tag filter does not match nightly, 0.17.0, v0.17, latest and release-0.17.0

  Scenario: release-publish declares the release-published trigger
    Given the release-publish workflow
    Then the workflow is triggered only by release
    And the workflow declares the trigger release for types published

  @fidelity:F1
  Scenario: A tag that is not a version does not start release-build
    Given the release-build workflow
    And the tip of main
    And the tag nightly is pushed
    When the workflow runs
    Then no job runs

  @real-work:the-checks-verify-tag-runs
  Scenario: When started for a tag that is not a version anyway, `verify-tag` refuses it
    Given the release-build workflow
    And the tip of main
    And the tag nightly is pushed
    When the workflow runs
    Then `verify-tag` fails
    And the log of `verify-tag` names "nightly"
    And nothing is built
    And no release is created

  @fidelity:F1
  Scenario: Creating a release (not publishing it) does not start release-publish
    Given the release-publish workflow
    And the draft release v0.17.0 that release-build made from the tip of main
    And the release event says the release was "created"
    When the workflow runs
    Then no job runs

  @real-work:the-checks-verify-release-runs
  Scenario: When started for a release that was not published anyway, `verify-release` refuses it
    Given the release-publish workflow
    And the draft release v0.17.0 that release-build made from the tip of main
    And the release event says the release was "created"
    When the workflow runs
    Then `verify-release` fails
    And the log of `verify-release` names "created"
    And PyPI receives no file of "cog"
    And PyPI receives no file of "coglet"
