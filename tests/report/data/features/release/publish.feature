@section:release-workflow
Feature: Publishing order and trusted publishing

  Scenario: coglet reaches PyPI and crates.io before the SDK
    Given the release-publish workflow
    And a published release v0.17.0
    When the workflow runs
    Then coglet is uploaded to PyPI before cog
    And coglet is published to crates.io before cog reaches PyPI

  @section:pre-releases
  Scenario: A pre-release is published as a pre-release
    Given the release-publish workflow
    And a published pre-release v0.17.0-alpha3
    When the workflow runs
    Then PyPI has cog 0.17.0a3
