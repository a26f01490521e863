"""Deliberately broken copies of the CI workflow, each breaking one rule of the document.

Each entry: (name, workflow path, text to replace, replacement, ``-k`` expression selecting
scenarios of which at least one must fail against the broken copy).
"""

CI = ".github/workflows/ci.yaml"

# Each breaks the graph (an ``if:``, a ``needs``, the gate, a matrix): structure mode sees it.
MODE = "structure"

MUTATIONS = [
    (
        "gate-without-always",
        CI,
        "  ci-complete:\n    if: always()\n",
        "  ci-complete:\n",
        "gate_fails_when and test-go",
    ),
    (
        "gate-forgets-a-job",
        CI,
        "      - test-rust\n      - test-python\n      - test-coglet-python\n",
        "      - test-python\n      - test-coglet-python\n",
        "gate_depends_on_every_other_job",
    ),
    (
        "rust-change-skips-test-rust",
        CI,
        "  test-rust:\n    needs: [changes]\n    if: needs.changes.outputs.rust == 'true'\n",
        "  test-rust:\n    needs: [changes]\n    if: needs.changes.outputs.go == 'true'\n",
        "a_rust_change_runs_the_rust_tests",
    ),
    (
        "python-versions-from-a-literal-list",
        CI,
        "      matrix:\n        python: ${{ fromJson(needs.changes.outputs.supported-pythons) }}\n    steps:\n"
        "      - uses: actions/checkout@v4\n",
        '      matrix:\n        python: ["3.10", "3.11", "3.12", "3.13"]\n    steps:\n      - uses: actions/checkout@v4\n',
        "changing_supported_pythons",
    ),
]
