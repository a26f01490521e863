"""actspec shim of github/codeql-action/autobuild (see ../README.md): analyses nothing, records the step."""

from actspec_shim import codeql, gha

if __name__ == "__main__":
    gha.main(codeql.autobuild)
