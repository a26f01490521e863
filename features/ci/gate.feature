@section:design-principles @section:branch-protection @section:adding-new-checks
Feature: One gate job, `ci-complete`, decides whether a change may merge
  Branch protection requires a single check, `ci-complete` ("Design Principles" 1,
  "Branch Protection").  It depends on every other job ("Adding New Checks" step 3), runs
  whatever happened upstream, passes when the jobs it depends on succeeded or were
  skipped by path filtering ("skipped counts as passing", principle 5) and fails when any
  of them failed.  Failures are injected at run time through the binding's step mocks;
  the workflow files are never edited for that.

  The gate's verdict depends only on the results of the jobs it needs, so the outline over
  every gated job stubs the jobs it is not about: they start and end in their containers
  as usual, but their steps succeed without building or testing anything.  `changes`
  (which decides what runs) and `ci-complete` always run for real.

  Scenario: The gate depends on every other job of the CI workflow
    Given the CI workflow
    Then `ci-complete` needs every other job

  Scenario: Skipped jobs count as passing for the gate
    Given the CI workflow
    And a pull request to main that changes docs
    When the workflow runs
    Then these jobs are skipped: `build-sdk`, `build-rust`, `test-go`, `test-rust`, `test-python`, `test-integration`
    And `ci-complete` succeeds

  Scenario Outline: The gate fails when `<job>` fails, and runs anyway
    Given the CI workflow
    And a pull request to main that changes <change>
    And every job other than `<job>`, `changes` and `ci-complete` is stubbed to succeed
    And the job `<job>` fails
    When the workflow runs
    Then `<job>` fails
    And `ci-complete` runs
    And `ci-complete` fails

    @rows:gate-needs
    Examples: the document's jobs table, and every other job the gate needs
      `@rows:gate-needs` adds a row for each job the gate needs in the repository under test
      that the table lacks, with the change set its binding names for it (`extra_jobs:`).
      `changes` has its own scenario below.

      | job                | change            |
      | build-sdk          | python            |
      | build-rust         | rust              |
      | fmt-go             | go                |
      | fmt-rust           | rust              |
      | fmt-python         | python            |
      | lint-go            | go                |
      | lint-rust          | rust              |
      | lint-rust-deny     | rust              |
      | lint-python        | python            |
      | test-go            | go                |
      | test-rust          | rust              |
      | test-python        | python            |
      | test-coglet-python | rust              |
      | test-integration   | integration-tests |

  @fidelity:F14
  Scenario: The gate fails when `changes` fails, and runs anyway
    Given the CI workflow
    And a pull request to main that changes go
    And the job `changes` fails
    When the workflow runs
    Then `changes` fails
    And `ci-complete` runs
    And `ci-complete` fails

  @fidelity:F15
  Scenario: The gate fails when a job it needs is cancelled
    A job the gate needs can end `cancelled` (a maintainer cancels the run, or GitHub cancels
    a job over its time limit); the gate still runs, reads it as `cancelled` and fails.  act
    cancels only a whole run, and then ends the set-up of the jobs that would run after it
    before they run a step, so the gate never reads a cancelled job.

    Given the CI workflow
    And a pull request to main that changes go
    And every job other than `lint-go`, `changes` and `ci-complete` is stubbed to succeed
    And the run is cancelled while `lint-go` runs
    When the workflow runs
    Then `lint-go` is cancelled
    And `ci-complete` fails by its own check of the jobs it needs

  Scenario: When a build fails, its consumers are skipped and the gate still fails
    Given the CI workflow
    And a pull request to main that changes python
    And the job `build-sdk` fails
    When the workflow runs
    Then these jobs are skipped: `lint-python`, `test-python`, `test-integration`
    And `ci-complete` fails
