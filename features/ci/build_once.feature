@section:design-principles @section:artifacts
Feature: Build once, test many
  Artifacts are built once and reused across test jobs ("Design Principles" 3).  The
  "Artifacts" table names them: `CogPackage` (the SDK wheel and sdist) and
  `CogletRustWheel` (the coglet ABI3 wheel, built for Python 3.10 and working on every
  later version).  Every transfer is read from the ledger of the run.

  Background:
    Given the CI workflow
    And a pull request to main that changes go, rust, python and integration-tests
    When the workflow runs

  Scenario: CogPackage is built once, by `build-sdk`, and holds the wheel and the sdist
    Then "CogPackage" is uploaded exactly once, by `build-sdk`
    And "CogPackage" holds files matching "cog-*.whl" and "cog-*.tar.gz"

  Scenario: CogletRustWheel is built once, by `build-rust`, as an ABI3 wheel for Python 3.10 and up
    Then "CogletRustWheel" is uploaded exactly once, by `build-rust`
    And "CogletRustWheel" holds files matching "coglet-*-cp310-abi3-*.whl"

  Scenario Outline: <consumer> reuses <artifact> instead of building it
    Then every leg of `<consumer>` downloads "<artifact>" with the bytes that were uploaded
    And `<consumer>` runs no build step

    Examples:
      | consumer           | artifact        |
      | lint-python        | CogPackage      |
      | test-go            | CogPackage      |
      | test-python        | CogPackage      |
      | test-integration   | CogPackage      |
      | test-coglet-python | CogletRustWheel |

  Scenario: The cog-rust integration variant reuses CogletRustWheel
    Then the variant=cog-rust leg of `test-integration` downloads "CogletRustWheel" with the bytes that were uploaded

  Scenario: The coglet wheel built once works on every supported Python
    Then every leg of `test-coglet-python` succeeds
    And the legs of `test-coglet-python` cover every version in SUPPORTED_PYTHONS
