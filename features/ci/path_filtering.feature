@section:design-principles @section:ci-jobs
Feature: Path-based filtering decides which CI jobs run
  The architecture document ("Design Principles" 2, and the "Runs when" column of the
  `ci.yaml` jobs table) says jobs skip when the files they care about did not change:
  a Go change does not run the Rust tests.  The `changes` job always runs and decides.

  Interpretation (build once, test many): the table says `build-sdk` runs when Python
  changed and `build-rust` when Rust changed, yet `test-go` needs `build-sdk`,
  `test-coglet-python` needs `build-rust` and runs on Python changes too, and
  `test-integration` runs on any change and needs both builds.  The document's intent is
  that an artifact is built whenever a job that consumes it runs, so each build job runs
  whenever one of its consumers runs.  The rows below state that reading.

  Scenario Outline: A pull request that changes <change> runs only the jobs that care
    Given the CI workflow
    And a pull request to main that changes <change>
    When the workflow runs
    Then only these jobs run: <run>
    And `ci-complete` succeeds

    Examples: one component at a time
      | change            | run |
      | go                | `changes`, `build-sdk`, `build-rust`, `fmt-go`, `lint-go`, `test-go`, `test-integration`, `ci-complete` |
      | rust              | `changes`, `build-sdk`, `build-rust`, `fmt-rust`, `lint-rust`, `lint-rust-deny`, `test-rust`, `test-coglet-python`, `test-integration`, `ci-complete` |
      | python            | `changes`, `build-sdk`, `build-rust`, `fmt-python`, `lint-python`, `test-python`, `test-coglet-python`, `test-integration`, `ci-complete` |
      | integration-tests | `changes`, `build-sdk`, `build-rust`, `test-integration`, `ci-complete` |

    Examples: nothing or everything
      | change      | run |
      | docs        | `changes`, `ci-complete` |
      | ci-workflow | `changes`, `build-sdk`, `build-rust`, `fmt-go`, `fmt-rust`, `fmt-python`, `lint-go`, `lint-rust`, `lint-rust-deny`, `lint-python`, `test-go`, `test-rust`, `test-python`, `test-coglet-python`, `test-integration`, `ci-complete` |

    Examples: mixes
      | change          | run |
      | go and rust     | `changes`, `build-sdk`, `build-rust`, `fmt-go`, `lint-go`, `test-go`, `fmt-rust`, `lint-rust`, `lint-rust-deny`, `test-rust`, `test-coglet-python`, `test-integration`, `ci-complete` |
      | python and docs | `changes`, `build-sdk`, `build-rust`, `fmt-python`, `lint-python`, `test-python`, `test-coglet-python`, `test-integration`, `ci-complete` |

  Scenario: A Go change does not run the Rust tests
    Given the CI workflow
    And a pull request to main that changes go
    When the workflow runs
    Then these jobs are skipped: `test-rust`, `fmt-rust`, `lint-rust`, `lint-rust-deny`
    And `test-go` succeeds

  Scenario: A Rust change runs the Rust tests
    Given the CI workflow
    And a pull request to main that changes rust
    When the workflow runs
    Then `test-rust` succeeds
    And `fmt-rust` succeeds
