// Package global holds build information of the cog CLI.
package global

import "strings"

// Set at release build time with -ldflags "-X github.com/replicate/cog/pkg/global.Version=..."
// (see the mise task build:cog:release).  Both come from crates/Cargo.toml through
// tools/version.py, the repository's one semver -> PEP 440 converter.
var (
	// Version is the CLI version (semver), "dev" for a build from a checkout.
	Version = "dev"
	// PythonVersion is the PEP 440 spelling of Version, the version of the cog SDK
	// released together with this CLI.
	PythonVersion = ""
	// Commit is the git commit the CLI was built from.
	Commit = ""
)

// IsRelease reports whether this is a released CLI: one built with a version (and its
// PEP 440 spelling) stamped in, rather than a development build from the repository.
func IsRelease() bool {
	return Version != "" && Version != "dev" && PythonVersion != ""
}

// VersionString is the human-readable version line of `cog --version`.
func VersionString() string {
	parts := []string{"cog version " + Version}
	if Commit != "" {
		parts = append(parts, "(commit "+Commit+")")
	}
	if !IsRelease() {
		parts = append(parts, "[development build]")
	}
	return strings.Join(parts, " ")
}
