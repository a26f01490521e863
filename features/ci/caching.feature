@section:caching-strategy
Feature: The Rust cache is restored everywhere and saved only from main
  "Caching Strategy": the Rust jobs that compile (`build-rust`, `lint-rust`, `test-rust`;
  `fmt-rust` only formats) use `Swatinem/rust-cache@v2` with the workspace `crates -> target`; they restore on every run (pull requests restore main's cache) and
  save only on pushes to `main`, so pull requests never pollute the cache.  A pull request
  reads the caches of its own ref and of its base branch and writes only its own; "main's
  cache" here is always what a real push to main saved in the same session.  Go caching
  comes with `actions/setup-go`: its cache on, keyed on the files `cache-dependency-path`
  names or on setup-go's default `go.sum`.  The Python/uv cache comes with
  `astral-sh/setup-uv`: uv's own cache folder, on by default on GitHub-hosted runners,
  restored under setup-uv's key and saved after the job.  The document does not say which
  jobs use uv; the uv scenarios judge every job of the run that sets it up.

  Scenario: A pull request restores the Rust cache and saves nothing
    Given the CI workflow
    And a pull request to main that changes rust
    When the workflow runs
    Then `build-rust`, `lint-rust` and `test-rust` restore the Rust cache for the workspace "crates -> target"
    And no job saves the Rust cache of the workspace "crates -> target"

  Scenario: A push to main restores and saves the Rust cache
    Given the CI workflow
    And a push to main that changes rust
    When the workflow runs
    Then `build-rust`, `lint-rust` and `test-rust` restore the Rust cache for the workspace "crates -> target"
    And the Rust cache of the workspace "crates -> target" is saved

  Scenario: The Go cache is configured through setup-go
    Given the CI workflow
    And a pull request to main that changes go
    When the workflow runs
    Then every job that sets up Go asks setup-go for a cache keyed on a dependency file

  Scenario: The Python/uv cache is on wherever uv is set up
    Given the CI workflow
    And a pull request to main that changes rust
    When the workflow runs
    Then every job that sets up uv keeps setup-uv's cache on

  @real-work:cache-contents
  Scenario: A pull request reuses the Rust cache that a push to main saved
    Given the CI workflow
    And an earlier push to main that changed rust
    And a pull request to main that changes rust
    When the workflow runs
    Then `build-rust`, `lint-rust` and `test-rust` restore the Rust cache that the push to main saved, with its files
    And no job saves the Rust cache of the workspace "crates -> target"

  @real-work:cache-contents
  Scenario: A pull request reuses the Go cache that a push to main saved
    Given the CI workflow
    And an earlier push to main that changed go
    And a pull request to main that changes go
    When the workflow runs
    Then `lint-go` and `test-go` restore the Go cache that the push to main saved, with its files

  @real-work:cache-contents
  Scenario: A pull request reuses the uv cache that a push to main saved
    Given the CI workflow
    And an earlier push to main that changed rust
    And a pull request to main that changes rust
    When the workflow runs
    Then every job that sets up uv restores the uv cache that the push to main saved, with its files
