"""The report built from the synthetic data: what a reader must find in the HTML and the summary."""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from actspec.report import build, graph, md
from actspec.tooling import preflight
from tests.report.conftest import RUN_CI, RUN_RELEASE, SCENARIOS, Site, make_site

pytestmark = pytest.mark.unit


def _section(html: str, element_id: str) -> str:
    """The outer HTML of the <section> with ``element_id`` (sections do not nest in the page)."""
    start = html.index(f'id="{element_id}"')
    start = html.rindex("<section", 0, start)
    return html[start:html.index("</section>", start)]


def _svg(fragment: str) -> str:
    """The first inline SVG in ``fragment``, entities decoded (Graphviz writes ``-`` as ``&#45;``)."""
    start = fragment.index("<svg")
    return htmllib.unescape(fragment[start:fragment.index("</svg>", start) + 6])


def test_every_scenario_appears_with_its_steps(site: Site) -> None:
    html = site.html
    for name in SCENARIOS:
        assert name in html, name
    # steps rendered with the example values, keyword and status
    assert "`test-python` runs for Python 3.11" in html
    assert '<li class="failed"><span class="kw">And</span> `ci-complete` succeeds' in html


def test_sections_in_document_order(site: Site) -> None:
    html = site.html
    ids = re.findall(r'<section id="sec-([a-z0-9-]+)"', html)
    assert ids == ["design-principles", "python-version-matrix", "artifacts", "branch-protection",
                   "release-workflow", "pre-releases"]
    assert "<h2 class=\"section\">Design Principles" in html


def test_summary_counts_at_the_top(site: Site) -> None:
    html = site.html
    top = _section(html, "summary")
    assert "FAILED: 1 of 8 scenarios failed" in top
    assert "5 passed" in top and "1 act diverges (xfail)" in top and "1 not run" in top
    assert html.index('id="summary"') < html.index('id="failed"') < html.index('id="sec-design-principles"')


def test_failed_scenario_is_listed_with_message_section_and_job_graph_link(site: Site) -> None:
    failed = _section(site.html, "failed")
    assert "Skipped jobs count as passing for the gate" in failed
    assert "Design Principles, Branch Protection" in failed
    assert "AssertionError: `ci-complete` failed, expected success" in failed
    assert "src/actspec/checks.py:58: AssertionError" in failed
    assert "failed step: And `ci-complete` succeeds" in failed
    assert f'href="runs/{RUN_CI}.html"' in failed
    assert f'href="#run-{RUN_CI}"' in failed
    # only the failed one is listed
    assert "A failed build fails the gate" not in failed
    # and its scenario is open on the page, the others folded
    assert re.search(r'<details class="scenario failed" id="[^"]+" open>', site.html)
    assert not re.search(r'<details class="scenario passed" id="[^"]+" open>', site.html)


def test_tests_are_matched_by_facts_and_by_pytest_bdd_names(site: Site) -> None:
    by_name = {s.name: s for s in site.built.report.scenarios}
    assert by_name["Skipped jobs count as passing for the gate"].outcome == "failed"
    assert by_name["A push to another branch does not run CI"].outcome == "xfailed"  # old-style entry, by name
    assert by_name["test-python runs on Python 3.11"].outcome == "passed"  # outline row by [param]
    assert by_name["A pre-release is published as a pre-release"].outcome == "not run"
    assert by_name["A push to another branch does not run CI"].fidelity == ["F1"]
    assert [t.nodeid for t in site.built.report.other_tests] == ["tests/unit/test_example.py::test_kit_unit"]
    assert site.built.report.unmatched == []


def test_job_graph_is_an_inline_svg_with_coloured_nodes(site: Site) -> None:
    run = _section(site.html, f"run-{RUN_CI}")
    svg = _svg(run)
    results = {node: result for result, node in
               re.findall(r'<g id="[^"]+" class="node job (\w+)">\s*<title>([^<]+)</title>', svg)}
    assert len(results) == 8
    assert results["n1"] == "success"        # changes
    assert results["n3"] == "failure"        # build-rust
    assert results["n7"] == "skipped"        # test-coglet-python
    assert results["n8"] == "failure"        # ci-complete
    assert svg.count('class="node job success"') == 5  # changes, build-sdk, three test-python legs
    for fill in (graph.COLOURS["success"][0], graph.COLOURS["failure"][0], graph.COLOURS["skipped"][0]):
        assert f'fill="{fill}"' in svg
    # the matrix is a box of legs
    assert "test-python (matrix: success)" in svg
    for leg in ("python=3.10", "python=3.11", "python=3.12"):
        assert leg in svg
    # needs from the workflow YAML: 2 + 1 + 1 + 5 edges; artifacts from the ledger: 3 downloads of CogPackage
    assert svg.count('class="edge needs"') == 9
    assert svg.count('class="edge artifact"') == 3
    assert svg.count(">CogPackage</text>") == 3
    assert "needs from " in run and "ci.yaml" in run


def test_graph_without_the_workflow_still_shows_jobs_artifacts_and_why(site: Site) -> None:
    run = _section(site.html, f"run-{RUN_RELEASE}")
    svg = _svg(run)
    assert 'class="node job cancelled"' in svg
    assert f'fill="{graph.COLOURS["cancelled"][0]}"' in svg
    assert 'class="edge needs"' not in svg
    assert "artifact CogletRustWheel" in svg and "(from an earlier run)" in svg
    assert "needs edges not drawn" in run


def test_publishing_timeline_in_ledger_order(site: Site) -> None:
    run = _section(site.html, f"run-{RUN_RELEASE}")
    assert "Publishing timeline (11 registry, OIDC and release events, in ledger order)" in run
    timeline = run[run.index('<table class="timeline">'):]
    timeline = timeline[:timeline.index("</table>")]
    kinds = re.findall(r'</span>([a-z]+\.[a-z]+)</td>', timeline)
    assert kinds == ["oidc.token", "oidc.exchange", "pypi.upload", "oidc.token", "oidc.exchange", "oidc.exchange",
                     "crates.publish", "oidc.token", "oidc.exchange", "pypi.upload", "release.publish"]
    assert '<tr class="refused">' in timeline and "no trusted publisher for this workflow" in timeline
    # the CI run has no registry entries, so no timeline
    assert "Publishing timeline" not in _section(site.html, f"run-{RUN_CI}")


def test_run_pages_open_at_the_graph_and_link_back(site: Site) -> None:
    page = site.run_page(RUN_CI).read_text()
    assert page.index("<svg") < page.index("Jobs:")
    assert 'href="../index.html#sc-' in page  # the scenarios that read it
    log_link = re.search(r'href="([^"]+\.log)"', page)
    assert log_link and (site.run_page(RUN_CI).parent / log_link.group(1)).resolve().exists()


def test_spec_coverage_and_fidelity_rendered_and_escaped(site: Site) -> None:
    html = site.html
    cov = _section(html, "coverage")
    assert "<table class=\"md\">" in cov and "Single gate job" in cov
    assert "Spec coverage (fixture)" not in cov  # the page titles the section itself
    assert "<em>static</em>" in cov and "<code>tests/calibration</code>" in cov
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cov
    # quoted scenario names carry their result, linked to the scenario
    assert re.search(r'&quot;Skipped jobs count as passing for the gate&quot; <a class="badge failed" href="#sc-[^"]+"[^>]*>FAILED</a>', cov)
    assert re.search(r'&quot;A failed build fails the gate&quot; <a class="badge passed"', cov)
    assert re.search(r'&quot;test-python runs on Python &lt;python&gt;&quot; <a class="badge passed"[^>]*>3/3 passed</a>', cov)
    fid = _section(html, "fidelity")
    assert "F1" in fid and "<strong>xfail</strong>" in fid


def test_all_text_is_escaped(site: Site) -> None:
    html = site.html
    assert "<b>markup</b>" not in html
    assert "&lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;" in html
    assert "<script" not in html.lower()


def test_nothing_is_loaded_from_another_host(site: Site) -> None:
    pages = [site.index, *site.index.parent.glob("runs/*.html")]
    for page in pages:
        text = page.read_text()
        refs = re.findall(r'(?:\bsrc|\bhref|xlink:href|\baction)\s*=\s*["\']?\s*([^"\'\s>]+)', text, flags=re.I)
        assert refs, page
        remote = [r for r in refs if re.match(r"(?i)(https?:)?//", r)]
        assert remote == [], (page, remote)
        assert not re.search(r"(?i)url\(\s*['\"]?\s*(https?:)?//", text)
        assert "@import" not in text
        assert "<script" not in text.lower() and "<link" not in text.lower()
        assert "default-src 'none'" in text


def test_summary_markdown(site: Site) -> None:
    text = site.built.summary.read_text()
    assert site.built.summary == site.index.parent.parent / "summary.md"
    assert text.startswith("# \u274c actspec conformance: 1 of 8 scenarios failed")
    assert "## Failed scenarios" in text
    assert "**Skipped jobs count as passing for the gate**" in text
    assert "section: **Design Principles, Branch Protection**" in text
    assert "``AssertionError: `ci-complete` failed, expected success:" in text
    assert text.index("### Design Principles") < text.index("### Python Version Matrix") < text.index("### Release Workflow")
    assert "| \u2705 passed | test\\-python runs on Python 3.11" not in text  # '-' is not escaped
    assert "| \u2705 passed | test-python runs on Python 3.11 \u2014 python=3.11 |" in text


def test_markdown_escape() -> None:
    assert md.escape("a `b` *c* [d](e) <i>|") == "a \\`b\\` \\*c\\* \\[d\\](e) &lt;i>\\|"
    assert md.to_html("# T\n\n| a | b |\n|---|---|\n| `x|y` | <z> |\n") == (
        '<h2 id="md-t">T</h2>\n<div class="tablewrap"><table class="md"><thead><tr><th>a</th><th>b</th></tr>'
        "</thead><tbody>\n<tr><td><code>x|y</code></td><td>&lt;z&gt;</td></tr>\n</tbody></table></div>")


def test_without_graphviz_the_graph_is_an_html_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph, "dot_path", lambda: None)
    s = make_site(tmp_path)
    run = _section(s.html, f"run-{RUN_CI}")
    assert "<svg" not in run and 'class="graph-fallback"' in run
    assert 'class="jobbox failure"' in run
    assert "drawn without Graphviz" in s.html


def test_no_results_yet(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data"
    built = build(tmp_path / "empty", tmp_path / "site", features_dir=data / "features", docs_dir=None)
    html = built.index.read_text()
    assert "NO RESULTS" in html and "run `make conformance`" in html
    assert all(s.outcome == "not run" for s in built.report.scenarios)


def test_cli(tmp_path: Path) -> None:
    s = make_site(tmp_path)
    out = tmp_path / "cli" / "site"
    proc = subprocess.run([sys.executable, "-m", "actspec.report", "--data", str(s.root / "results"), "--out", str(out),
                           "--features", str(s.root / "features"), "--docs", str(s.root / "docs")],
                          capture_output=True, text=True, check=True)
    assert "8 scenarios: 1 failed, 5 passed, 1 xfailed" in proc.stdout
    assert (out / "index.html").exists() and (out.parent / "summary.md").exists()


def test_plugin_records_scenario_facts_for_the_report(pytester: pytest.Pytester,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A real pytest-bdd run with the kit's plugin writes what the report matches on."""
    monkeypatch.setattr(preflight, "check_tools", lambda act, image: None)  # these scenarios run no act
    tmp_path = pytester.path
    features = tmp_path / "features"
    features.mkdir()
    (features / "demo.feature").write_text(textwrap.dedent("""\
        @section:artifacts
        Feature: Demo
          Scenario: Steps after a failure are skipped
            Given a thing
            Then it breaks
            And this never runs

          @section:python-version-matrix
          Scenario Outline: Passing <n>
            Given a thing
            Then <n> is fine

            Examples:
              | n |
              | 1 |
              | 2 |
        """))
    (features / "test_demo.py").write_text(textwrap.dedent("""\
        from pytest_bdd import given, parsers, scenarios, then

        scenarios("demo.feature")

        @given("a thing")
        def a_thing():
            pass

        @then("it breaks")
        def it_breaks():
            assert 1 == 2, "the promise broke"

        @then("this never runs")
        def never():
            pass

        @then(parsers.parse("{n} is fine"))
        def fine(n):
            pass
        """))
    pytester.makeini("[pytest]\n")
    results = tmp_path / "results"
    result = pytester.runpytest_inprocess("-p", "actspec.bdd.pytest_plugin", "--results-dir", str(results), "features")
    result.assert_outcomes(passed=2, failed=1)
    tests = json.loads((results / "tests.json").read_text())
    failed = tests["features/test_demo.py::test_steps_after_a_failure_are_skipped"]
    assert failed["outcome"] == "failed"
    assert failed["feature_file"] == "features/demo.feature"
    assert failed["scenario_template"] == "Steps after a failure are skipped"
    assert [s["status"] for s in failed["steps"]] == ["passed", "failed", "skipped"]
    assert "the promise broke" in failed["error"]
    assert failed["tags"] == ["section:artifacts"]
    row = tests["features/test_demo.py::test_passing_n[2]"]
    assert row["example"] == {"n": "2"} and row["scenario"] == "Passing 2"
    assert [s["name"] for s in row["steps"]] == ["a thing", "2 is fine"]
    assert row["tags"] == ["section:artifacts", "section:python-version-matrix"]
    built = build(results, tmp_path / "site", features_dir=features, docs_dir=None)
    outcomes = {s.name: (s.outcome, [st.status for st in s.steps]) for s in built.report.scenarios}
    assert outcomes == {
        "Steps after a failure are skipped": ("failed", ["passed", "failed", "skipped"]),
        "Passing 1": ("passed", ["passed", "passed"]),
        "Passing 2": ("passed", ["passed", "passed"]),
    }


def test_each_run_page_lists_the_mocks_and_stand_ins_that_fired(site: Site) -> None:
    """Issue 12.2: the reader sees which of the binding's step mocks and stand-ins replaced
    something in each run, and that none did in the others."""
    ci = htmllib.unescape(site.run_page(RUN_CI).read_text())
    assert re.search(r"<dt>mocks and stand-ins fired</dt><dd>step mock offline-build \(job build-sdk, step build\); "
                     r"stand-in acme/publish-release@v2 \(job release \[os=linux\]\)", ci)
    release = htmllib.unescape(site.run_page(RUN_RELEASE).read_text())
    assert "<dt>mocks and stand-ins fired</dt><dd>none</dd>" in release


def test_the_mutation_score_stands_beside_its_section(tmp_path: Path) -> None:
    """``make mutate`` leaves mutation.json; each section shows its score, survivors with their diff."""
    root = tmp_path / "fixture"
    shutil.copytree(Path(__file__).parent / "data", root)
    mutant = dict(section="branch-protection", rule="`ci-complete` fails when a job it needs ended in cancelled",
                  path=".github/workflows/ci.yaml", mode="structure", seconds=1.0, ran=3)
    (root / "results" / "mutation.json").write_text(json.dumps({"generated": 3, "mutants": [
        {**mutant, "name": "branch-protection/a", "verdict": "killed", "evidence": "x", "diff": ""},
        {**mutant, "name": "branch-protection/ci-complete-fails-on-cancelled", "verdict": "survived",
         "evidence": "3 scenario(s) passed", "diff": "-  == \"cancelled\"\n+  == \"cancelled-ignored\"\n"},
        {**mutant, "name": "branch-protection/same", "verdict": "equivalent", "evidence": "reads the same"},
    ]}))
    built = build(root / "results", tmp_path / "site", features_dir=root / "features", docs_dir=None)
    section = _section(built.index.read_text(), "sec-branch-protection")
    assert "mutants: 1 of 2 killed (50 %)" in section and "1 equivalent" in section
    assert "ci-complete-fails-on-cancelled" in section and "cancelled-ignored" in section
    assert "mutation score: 1 of 2 killed (50.0 %)" in built.index.read_text()
    assert "mutants:" not in _section(built.index.read_text(), "sec-release-workflow")
    summary = (built.index.parent.parent / "summary.md").read_text()
    assert "mutation score: 1 of 2 killed (50.0 %)" in summary
