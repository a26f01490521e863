@section:codeql
Feature: CodeQL scans Go, Python and Rust
  "`codeql.yml` - Security Analysis": CodeQL runs on pushes to main, pull requests to
  main and a weekly schedule, for the languages go, python and rust.  The CodeQL actions
  are shims that record what they were asked (they analyse nothing).

  Scenario: The workflow declares its triggers
    Given the CodeQL workflow
    Then the workflow declares the trigger push for branches main
    And the workflow declares the trigger pull_request for branches main
    And the workflow declares a weekly schedule

  Scenario Outline: A <event> scans go, python and rust
    Given the CodeQL workflow
    And <event>
    When the workflow runs
    Then `analyze` runs for language go, python and rust
    And CodeQL was initialised for go, python and rust
    And every leg of `analyze` succeeds

    Examples:
      | event                                     |
      | a pull request to main that changes go    |
      | a push to main that changes go            |
      | a scheduled run                           |
