@section:design-principles @section:branch-protection
Feature: The gate job decides whether a change may merge
  Synthetic feature for the report tests.  Its description has <b>markup</b> & "quotes"
  that must be shown as text, never as HTML.

  Scenario: Skipped jobs count as passing for the gate
    Given the CI workflow
    And a push to main that changes python and rust
    And the job `build-rust` fails
    When the workflow runs
    Then `test-coglet-python` is skipped
    And `ci-complete` succeeds

  Scenario: A failed build fails the gate
    Given the CI workflow
    And a push to main that changes python and rust
    And the job `build-rust` fails
    When the workflow runs
    Then `build-rust` fails
    And `ci-complete` fails

  @fidelity:F1
  Scenario: A push to another branch does not run CI
    Given the CI workflow
    And a push to feature
    When the workflow runs
    Then no job runs
