@section:release-workflow @section:stable-releases @real-work:building-the-release
Feature: A stable tag on main builds every artifact into a draft release
  "Stable Releases": tag `v0.17.0` on main, release-build.yaml runs, "Goreleaser builds
  CLI and creates draft, wheels are appended", and a maintainer reviews the draft.
  "Release Workflow": `verify-tag` (must be main), then the SDK build and the coglet
  wheels for 3 platforms (linux x64/arm64, macOS arm64), then `create-draft-release`.
  Nothing is published by this workflow: the release stays a draft.

  The document names the release's platforms once, for the coglet wheels ("3 platforms:
  linux x64/arm64, macos arm64"); the CLI the draft carries is checked for the same three.
  Whatever the repository calls them, a matrix leg is a platform by what its value names
  (`linux-x64`, `x86_64-unknown-linux-gnu`), a wheel by its platform tag, and a CLI by its
  executable header (ELF or Mach-O, and the CPU): never by one repository's file names.
  Files the document does not name (a checksums list) are not judged.

  Background:
    Given the release-build workflow
    And the tip of main at version 0.17.0
    And the tag v0.17.0 is pushed
    When the workflow runs

  Scenario: Every job of release-build runs and succeeds
    Then only these jobs run: `verify-tag`, `build-sdk`, `build-coglet-wheels`, `create-draft-release`
    And every job succeeds
    And `build-coglet-wheels` runs one leg per platform: linux x64, linux arm64 and macos arm64

  Scenario: The draft release holds the CLI and every wheel
    Then the draft release v0.17.0 holds exactly these programs, wheels and sdists:
      | asset                                           |
      | the CLI for linux x64                           |
      | the CLI for linux arm64                         |
      | the CLI for macos arm64                         |
      | coglet-0.17.0-cp310-abi3-*.whl for linux x64    |
      | coglet-0.17.0-cp310-abi3-*.whl for linux arm64  |
      | coglet-0.17.0-cp310-abi3-*.whl for macos arm64  |
      | cog-0.17.0-py3-none-any.whl                     |
      | cog-0.17.0.tar.gz                               |
    And the release v0.17.0 is not marked as a pre-release

  Scenario: The CLI attached to the draft is the release's build
    Then the CLI for linux x64 of the release v0.17.0 reports version 0.17.0

  Scenario: The build jobs wait for `verify-tag`, and the draft for both builds
    Then `build-sdk` started after `verify-tag` finished
    And `build-coglet-wheels` started after `verify-tag` finished
    And `create-draft-release` started after `build-sdk`, `build-coglet-wheels` finished
