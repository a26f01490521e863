@section:python-version-matrix @section:artifacts
Feature: test-python runs once per supported Python, on the wheel built once

  Scenario Outline: test-python runs on Python <python>
    Given the CI workflow
    And a push to main that changes python and rust
    When the workflow runs
    Then `test-python` runs for Python <python>
    And the leg downloaded CogPackage

    Examples:
      | python |
      | 3.10   |
      | 3.11   |
      | 3.12   |
