@section:release-workflow @section:stable-releases @real-work:building-the-release
Feature: A stable tag on main builds every artifact into a draft release
  "Stable Releases": tag `v0.17.0` on main, release-build.yaml runs, "Goreleaser builds
  CLI and creates draft, wheels are appended", and a maintainer reviews the draft.
  "Release Workflow": `verify-tag` (must be main), then the SDK build and the coglet
  wheels for 3 platforms (linux x64/arm64, macOS arm64), then `create-draft-release`.
  Nothing is published by this workflow: the release stays a draft.

  Background:
    Given the release-build workflow
    And the tip of main
    And the tag v0.17.0 is pushed
    When the workflow runs

  Scenario: Every job of release-build runs and succeeds
    Then only these jobs run: `verify-tag`, `build-sdk`, `build-coglet-wheels`, `create-draft-release`
    And every job succeeds
    And `build-coglet-wheels` runs for platform linux-x64, linux-arm64 and macos-arm64

  Scenario: The draft release holds the CLI and every wheel
    Then the draft release v0.17.0 holds exactly these assets:
      | asset                                                                   |
      | cog_linux_amd64                                                         |
      | cog_linux_arm64                                                         |
      | cog_darwin_arm64                                                        |
      | checksums.txt                                                           |
      | coglet-0.17.0-cp310-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl   |
      | coglet-0.17.0-cp310-abi3-manylinux_2_17_aarch64.manylinux2014_aarch64.whl |
      | coglet-0.17.0-cp310-abi3-macosx_11_0_arm64.whl                          |
      | cog-0.17.0-py3-none-any.whl                                             |
      | cog-0.17.0.tar.gz                                                       |
    And the release v0.17.0 is not marked as a pre-release

  Scenario: The CLI attached to the draft is the release's build
    Then the CLI "cog_linux_amd64" of the release v0.17.0 reports version 0.17.0

  Scenario: The build jobs wait for `verify-tag`, and the draft for both builds
    Then `build-sdk` started after `verify-tag` finished
    And `build-coglet-wheels` started after `verify-tag` finished
    And `create-draft-release` started after `build-sdk`, `build-coglet-wheels` finished
