@workflow:wheel-sourcing.yaml @section:sdk-wheel-sourcing @real-work:the-CLI-resolving-wheels
Feature: The CLI installs the SDK and coglet wheels from where COG_WHEEL and COGLET_WHEEL say
  "SDK Wheel Sourcing": a released CLI installs `cog==<version>` from PyPI; a development
  CLI in the repository uses `dist/cog-*.whl` when present, else PyPI; `pypi`,
  `pypi:<version>`, a wheel path and `dist` override that ("error if missing").  "Same
  pattern for COGLET_WHEEL (but coglet is optional by default)".

  The binding's wheel-sourcing workflow (`.github/workflows/wheel-sourcing.yaml` here) builds a development CLI and a released
  CLI (stamped with the crates/Cargo.toml version, like a release build) and asks each in
  every situation of the table; one run answers every row, one `wheel-source {...}` line
  each (the format is in docs/binding.md, whatever the CLI's own command is called).  The
  answers are the document's words: VERSION is the repository's version ("Package
  Versioning": crates/Cargo.toml, in its PEP 440 spelling), a file is the document's pattern
  (`dist/cog-*.whl`) or the local wheel file the variable named, and "error if missing" is
  a refusal, in whatever words the CLI says it.

  Background:
    Given the wheel-sourcing workflow
    And a manual run
    When the workflow runs

  Scenario Outline: <case>: a <cli> CLI, <dist> in dist/, <variable> <value>
    Then a <cli> CLI with <dist> in dist/ and <variable> <value> gets it from <source>: <installs>

    Examples: cog
      | case                    | cli      | dist     | variable  | value              | source | installs             |
      | Released CLI            | released | no wheel | COG_WHEEL | (unset)            | pypi   | cog==VERSION         |
      | Released CLI, dist/     | released | a wheel  | COG_WHEEL | (unset)            | pypi   | cog==VERSION         |
      | Dev CLI, wheel in dist/ | dev      | a wheel  | COG_WHEEL | (unset)            | file   | dist/cog-*.whl       |
      | Dev CLI, no wheel       | dev      | no wheel | COG_WHEEL | (unset)            | pypi   | cog                  |
      | Force PyPI              | dev      | a wheel  | COG_WHEEL | pypi               | pypi   | cog                  |
      | Specific version        | released | no wheel | COG_WHEEL | pypi:0.12.0        | pypi   | cog==0.12.0          |
      | Specific version (dev)  | dev      | a wheel  | COG_WHEEL | pypi:0.12.0        | pypi   | cog==0.12.0          |
      | Local wheel             | dev      | no wheel | COG_WHEEL | a local wheel file | file   | the local wheel file |
      | Local wheel (released)  | released | a wheel  | COG_WHEEL | a local wheel file | file   | the local wheel file |
      | Force dist              | dev      | a wheel  | COG_WHEEL | dist               | file   | dist/cog-*.whl       |
      | Force dist (released)   | released | a wheel  | COG_WHEEL | dist               | file   | dist/cog-*.whl       |
      | Force dist, missing     | dev      | no wheel | COG_WHEEL | dist               | error  | an error             |

    Examples: coglet (optional)
      | case                    | cli      | dist     | variable     | value              | source | installs             |
      | Released CLI            | released | no wheel | COGLET_WHEEL | (unset)            | none   | nothing              |
      | Released CLI, dist/     | released | a wheel  | COGLET_WHEEL | (unset)            | none   | nothing              |
      | Dev CLI, wheel in dist/ | dev      | a wheel  | COGLET_WHEEL | (unset)            | file   | dist/coglet-*.whl    |
      | Dev CLI, no wheel       | dev      | no wheel | COGLET_WHEEL | (unset)            | none   | nothing              |
      | Force PyPI              | dev      | no wheel | COGLET_WHEEL | pypi               | pypi   | coglet               |
      | Specific version        | released | no wheel | COGLET_WHEEL | pypi:0.12.0        | pypi   | coglet==0.12.0       |
      | Local wheel             | dev      | no wheel | COGLET_WHEEL | a local wheel file | file   | the local wheel file |
      | Force dist              | released | a wheel  | COGLET_WHEEL | dist               | file   | dist/coglet-*.whl    |
      | Force dist, missing     | dev      | no wheel | COGLET_WHEEL | dist               | error  | an error             |
