@section:design-principles
Feature: Independent jobs run in parallel
  "Design Principles" 4: jobs that do not depend on each other are not chained, and they
  run concurrently.  Checked from the start and end times act's log gives each job.

  Background:
    Given the CI workflow
    And a pull request to main that changes go, rust, python and integration-tests
    When the workflow runs

  Scenario Outline: `<a>` and `<b>` are independent and overlap in time
    Then neither `<a>` nor `<b>` depends on the other
    And `<a>` and `<b>` ran at the same time

    Examples:
      | a          | b          |
      | build-sdk  | build-rust |
      | fmt-go     | fmt-rust   |
      | test-rust  | build-sdk  |
      | lint-go    | lint-rust  |

  Scenario: The legs of a matrix run at the same time
    Then the legs of `test-python` ran at the same time
