@section:ci-jobs
Feature: The CI jobs depend on each other as the jobs table says
  The "Depends on" column of the `ci.yaml` jobs table.  Each row is checked twice: the
  workflow declares the dependency, and in a real run the job started only after the job
  it depends on had finished.  The declaration is read without a run, so a dropped
  dependency is reported in seconds; the order is what act observed in one run of a pull
  request that changes every component, shared by all rows.

  Scenario Outline: `<job>` declares that it depends on <upstream>
    Given the CI workflow
    Then `<job>` needs <upstream>

    Examples:
      | job                | upstream                    |
      | build-sdk          | `changes`                   |
      | build-rust         | `changes`                   |
      | fmt-go             | `changes`                   |
      | fmt-rust           | `changes`                   |
      | fmt-python         | `changes`                   |
      | lint-go            | `changes`                   |
      | lint-rust          | `changes`                   |
      | lint-rust-deny     | `changes`                   |
      | lint-python        | `build-sdk`                 |
      | test-go            | `build-sdk`                 |
      | test-rust          | `changes`                   |
      | test-python        | `build-sdk`                 |
      | test-coglet-python | `build-rust`                |
      | test-integration   | `build-sdk`, `build-rust`   |


  Scenario Outline: `<job>` starts only after <upstream> finished
    Given the CI workflow
    And a pull request to main that changes go, rust, python and integration-tests
    When the workflow runs
    Then `<job>` started after <upstream> finished

    Examples:
      | job                | upstream                    |
      | build-sdk          | `changes`                   |
      | build-rust         | `changes`                   |
      | fmt-go             | `changes`                   |
      | fmt-rust           | `changes`                   |
      | fmt-python         | `changes`                   |
      | lint-go            | `changes`                   |
      | lint-rust          | `changes`                   |
      | lint-rust-deny     | `changes`                   |
      | lint-python        | `build-sdk`                 |
      | test-go            | `build-sdk`                 |
      | test-rust          | `changes`                   |
      | test-python        | `build-sdk`                 |
      | test-coglet-python | `build-rust`                |
      | test-integration   | `build-sdk`, `build-rust`   |


  Scenario: Every job of the table exists
    Given the CI workflow
    Then the workflow has the jobs `changes`, `build-sdk`, `build-rust`, `fmt-go`, `fmt-rust`, `fmt-python`, `lint-go`, `lint-rust`, `lint-rust-deny`, `lint-python`, `test-go`, `test-rust`, `test-python`, `test-coglet-python`, `test-integration`, `ci-complete`

  Scenario: `changes` always runs
    Given the CI workflow
    And a pull request to main that changes go, rust, python and integration-tests
    When the workflow runs
    Then `changes` succeeds
