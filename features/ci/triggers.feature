@section:ci-yaml @section:deleted-workflows
Feature: CI runs on pull requests and on pushes to main
  "`ci.yaml` - Main CI Pipeline": the workflow runs on all pull requests (whatever branch
  they target) and on pushes to main.  `rust.yaml` was consolidated into `ci.yaml` ("Deleted Workflows").

  act starts a workflow for any event whose name matches and ignores branch filters
  (docs/fidelity.md F1), so the filters are checked as the workflow declares them, and
  the behaviour for other branches is a strict xfail.

  Scenario: The workflow declares its triggers: all pull requests and pushes to main
    Given the CI workflow
    Then the workflow runs on every pull request, whatever its base branch
    And the workflow declares the trigger push for branches main

  Scenario: A pull request runs CI
    Given the CI workflow
    And a pull request to main that changes go
    When the workflow runs
    Then `changes` succeeds
    And `ci-complete` succeeds

  Scenario: A push to main runs CI
    Given the CI workflow
    And a push to main that changes go
    When the workflow runs
    Then `changes` succeeds
    And `ci-complete` succeeds

  @fidelity:F1
  Scenario: A push to another branch does not run CI
    Given the CI workflow
    And a push to feature/x that changes go
    When the workflow runs
    Then no job runs

  Scenario: There is no separate Rust workflow any more
    Given the CI workflow
    Then the repository has no workflow file "rust.yaml"
