@section:release-workflow
Feature: The release jobs declare the order the document draws
  "Release Workflow": in `release-build.yaml` the builds start after `verify-tag` and the
  draft release is made from both builds; in `release-publish.yaml` every publishing job
  waits for `verify-release`, and the SDK waits for coglet ("Depends on" column, and
  "SDK waits for coglet via needs: dependency").  These rows read what the workflows
  declare, without a run, so a dropped dependency is reported in seconds; the release
  features check the same order in real runs (a job started only after the job it
  depends on had finished).

  Scenario Outline: In release-build, `<job>` declares that it depends on <upstream>
    Given the release-build workflow
    Then `<job>` needs <upstream>

    Examples:
      | job                  | upstream                            |
      | build-sdk            | `verify-tag`                        |
      | build-coglet-wheels  | `verify-tag`                        |
      | create-draft-release | `build-sdk`, `build-coglet-wheels`  |

  Scenario Outline: In release-publish, `<job>` declares that it depends on <upstream>
    Given the release-publish workflow
    Then `<job>` needs <upstream>

    Examples:
      | job                 | upstream              |
      | publish-pypi-coglet | `verify-release`      |
      | publish-pypi-sdk    | `publish-pypi-coglet` |
      | publish-crates-io   | `verify-release`      |
