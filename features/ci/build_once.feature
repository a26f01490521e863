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

  Scenario Outline: <artifact> is uploaded once, by `<builder>`
    Then "<artifact>" is uploaded exactly once, by `<builder>`

    Examples:
      | artifact        | builder    |
      | CogPackage      | build-sdk  |
      | CogletRustWheel | build-rust |

  @real-work:artifact-contents
  Scenario: CogPackage holds the wheel and the sdist
    Then "CogPackage" holds files matching "cog-*.whl" and "cog-*.tar.gz"

  @real-work:wheel-tags
  Scenario: CogletRustWheel is an ABI3 wheel for Python 3.10 and up
    Then "CogletRustWheel" holds files matching "coglet-*-cp310-abi3-*.whl"

  Scenario Outline: <consumer> downloads <artifact>
    Then every leg of `<consumer>` downloads "<artifact>" with the bytes that were uploaded

    Examples:
      | consumer           | artifact        |
      | lint-python        | CogPackage      |
      | test-go            | CogPackage      |
      | test-python        | CogPackage      |
      | test-integration   | CogPackage      |
      | test-coglet-python | CogletRustWheel |

  @real-work:the-commands-its-steps-run
  Scenario Outline: <consumer> reuses what it downloads instead of building it
    Then `<consumer>` runs no build step

    Examples:
      | consumer           |
      | lint-python        |
      | test-go            |
      | test-python        |
      | test-integration   |
      | test-coglet-python |

  Scenario: The cog-rust integration variant reuses CogletRustWheel
    Then the variant=cog-rust leg of `test-integration` downloads "CogletRustWheel" with the bytes that were uploaded

  @real-work:test-results
  Scenario: The coglet wheel built once works on every supported Python
    Then every leg of `test-coglet-python` succeeds
    And the legs of `test-coglet-python` cover every version in SUPPORTED_PYTHONS
