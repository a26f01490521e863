"""actspec shim of github/codeql-action/upload-sarif (see ../README.md): analyses nothing, records the step."""

from actspec_shim import codeql, gha

if __name__ == "__main__":
    gha.main(codeql.upload_sarif)
