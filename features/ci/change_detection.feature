@section:design-principles @section:ci-jobs
Feature: The change detection counts every path of a component as a change to it
  Path filtering ("Design Principles" 2, the "Runs when" column of the `ci.yaml` jobs
  table) rests on the `changes` job deciding which components changed.  The change sets of
  `path_filtering.feature` edit one file per component, so they exercise one path rule
  each.  The binding lists, per component, every path that must count as a change to it
  (`path_rules:`, which `init` starts from the workflow's rules for the user to review); the
  rows come from there, never from the change detection itself, so a rule the workflow drops
  keeps its row, and the row turns red.

  Only the change-detection job runs (the job whose outputs other jobs' `if:` read), and
  what it decided is read from its outputs as act reports them: one container per path.

  Scenario Outline: A pull request whose only change is <path> is a change to <component>
    Given the CI workflow
    And a pull request to main whose only change is `<path>`
    When only the change detection runs
    Then the change detection counts `<path>` as a change to <component>

    @rows:path-rules
    Examples: every path the binding says is a change to a component
      | component | path |
