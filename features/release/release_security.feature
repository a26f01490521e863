@section:release-workflow @section:github-environment-setup
Feature: Release permissions: contents write to create the release, OIDC only to publish, no stored secrets
  "release-build.yaml — Security: Requires `contents: write` for release creation."
  "release-publish.yaml — Security: All publishing uses OIDC trusted publishing (no
  long-lived tokens); Environments restricted to `v*` tags only."  "GitHub Environment
  Setup": environments `pypi` and `crates-io` restricted to `v*`; trusted publishers on
  PyPI (cog, coglet) and crates.io (coglet).

  What the workflows declare is read from their files; the environments and trusted
  publishers are repository and registry settings, declared in the binding (actspec.yaml),
  which the kit's mocks enforce during the runs (docs/fidelity.md F6).  Required reviewers
  and "only maintainers can publish" are GitHub settings the kit cannot see.

  Scenario: Only `create-draft-release` may write the repository's contents
    Given the release-build workflow
    Then only `create-draft-release` gets contents: write
    And no job gets id-token: write
    And the workflow uses no secret but GITHUB_TOKEN

  Scenario: Only the publishing jobs may ask for an OIDC token, each from its environment
    Given the release-publish workflow
    Then only `publish-pypi-coglet`, `publish-pypi-sdk` and `publish-crates-io` get id-token: write
    And no job gets contents: write
    And the workflow uses no secret but GITHUB_TOKEN
    And `publish-pypi-coglet` and `publish-pypi-sdk` deploy to the environment pypi
    And `publish-crates-io` deploys to the environment crates-io

  Scenario: The environments deploy version tags only, and the registries trust release-publish.yaml
    Given the release-publish workflow
    Then the binding restricts the environment pypi to the tags v*
    And the binding restricts the environment crates-io to the tags v*
    And PyPI trusts release-publish.yaml in the environment pypi to publish "cog" and "coglet"
    And crates.io trusts release-publish.yaml in the environment crates-io to publish "coglet"
