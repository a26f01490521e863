@section:release-workflow @section:github-environment-setup
Feature: Only release-publish.yaml, from the right environment and a version tag, gets an upload token
  "All publishing uses OIDC trusted publishing (no long-lived tokens)" and "Environments
  restricted to `v*` tags only"; "GitHub Environment Setup": PyPI trusts workflow
  `release-publish.yaml` in environment `pypi` (for cog and coglet), crates.io trusts it in
  environment `crates-io` (coglet).

  These scenarios put the question to the kit's mock GitHub and registries directly,
  configured from the binding (actspec.yaml `environments` and `trusted_publishers`)
  exactly as for the workflow runs: a job cannot pretend to be another workflow under act.
  The accepted case is also what the publishing runs do (features/release/publish.feature).

  Scenario Outline: <registry>: a job of <workflow> in <environment> at <ref> is <verdict>
    When a job of <workflow> in <environment> at <ref> asks <registry> for an upload token
    Then the token is <verdict>

    Examples:
      | registry  | workflow             | environment                | ref               | verdict                                                                         |
      | PyPI      | release-publish.yaml | the environment pypi       | refs/tags/v0.17.0 | granted                                                                         |
      | PyPI      | release-build.yaml   | the environment pypi       | refs/tags/v0.17.0 | refused by PyPI: "no corresponding publisher"                                  |
      | PyPI      | release-publish.yaml | the environment crates-io  | refs/tags/v0.17.0 | refused by PyPI: "no corresponding publisher"                                  |
      | PyPI      | release-publish.yaml | no environment             | refs/tags/v0.17.0 | refused by PyPI: "no corresponding publisher"                                  |
      | PyPI      | release-publish.yaml | the environment pypi       | refs/heads/main   | refused by GitHub: "is not allowed to deploy to pypi"                           |
      | PyPI      | release-publish.yaml | the environment pypi       | refs/tags/0.17.0  | refused by GitHub: "is not allowed to deploy to pypi"                           |
      | crates.io | release-publish.yaml | the environment crates-io  | refs/tags/v0.17.0 | granted                                                                         |
      | crates.io | ci.yaml              | the environment crates-io  | refs/tags/v0.17.0 | refused by crates.io: "does not match the workflow filename `ci.yaml`"          |
      | crates.io | release-publish.yaml | the environment pypi       | refs/tags/v0.17.0 | refused by crates.io: "does not match the environment `pypi`"                   |
      | crates.io | release-publish.yaml | no environment             | refs/tags/v0.17.0 | refused by crates.io: "requires an environment"                                 |
      | crates.io | release-publish.yaml | the environment crates-io  | refs/heads/main   | refused by GitHub: "is not allowed to deploy to crates-io"                      |
