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

  Scenario Outline: A pull request whose only change is <path> is a change to <component>
    Each component's change set above edits one file, so it exercises one path rule of the
    change detection.  The binding lists, per component, every path that must count as a
    change to it (`path_rules:`, which `init` starts from the workflow's rules for the user
    to review); the rows come from there, never from the change detection itself, so a rule
    the workflow drops keeps its row, and the row turns red.  Only the change detection runs.

    Given the CI workflow
    And a pull request to main whose only change is `<path>`
    When only the change detection runs
    Then the change detection counts `<path>` as a change to <component>

    @rows:path-rules
    Examples: every path the binding says is a change to a component
      | component | path |

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
