@section:ci-jobs @section:python-version-matrix
Feature: Matrices come from one definition
  Python versions are defined once, at the workflow level, in `SUPPORTED_PYTHONS`
  ("Python Version Matrix"); `test-python` and `test-coglet-python` run one leg per
  version.  `test-go` runs on ubuntu and macos, `test-integration` on the cog and
  cog-rust variants (jobs table).

  GitHub does not offer the `env` context to `strategy` (act refuses it the same way,
  see docs/fidelity.md F9), so the reference workflow keeps the single definition in
  workflow `env` and hands it to the matrices through an output of `changes`.  What is
  checked is the document's rule: change the one definition and the matrices follow.

  Scenario: The Python matrices follow SUPPORTED_PYTHONS
    Given the CI workflow
    And a pull request to main that changes go, rust, python and integration-tests
    When the workflow runs
    Then `test-python` runs for python 3.10, 3.11, 3.12 and 3.13
    And `test-coglet-python` runs for python 3.10, 3.11, 3.12 and 3.13

  Scenario: Changing SUPPORTED_PYTHONS changes every Python matrix
    Given the CI workflow
    And a pull request to main that changes rust and python
    And the pull request sets SUPPORTED_PYTHONS to '["3.12", "3.13"]'
    When the workflow runs
    Then `test-python` runs for python 3.12 and 3.13
    And `test-coglet-python` runs for python 3.12 and 3.13

  Scenario: Go tests run on ubuntu and macos
    Given the CI workflow
    And a pull request to main that changes go
    When the workflow runs
    Then `test-go` runs one leg on each of ubuntu and macos

  @real-work:test-results
  Scenario: Go tests pass on every OS of the matrix
    Given the CI workflow
    And a pull request to main that changes go
    When the workflow runs
    Then every leg of `test-go` succeeds

  Scenario: Integration tests run for the cog and cog-rust variants
    Given the CI workflow
    And a pull request to main that changes integration-tests
    When the workflow runs
    Then `test-integration` runs for variant cog and cog-rust

  @real-work:test-results
  Scenario: Integration tests pass for every variant
    Given the CI workflow
    And a pull request to main that changes integration-tests
    When the workflow runs
    Then every leg of `test-integration` succeeds
