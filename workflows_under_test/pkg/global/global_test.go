package global

import "testing"

func withVersion(t *testing.T, version, python, commit string) {
	t.Helper()
	oldV, oldP, oldC := Version, PythonVersion, Commit
	Version, PythonVersion, Commit = version, python, commit
	t.Cleanup(func() { Version, PythonVersion, Commit = oldV, oldP, oldC })
}

func TestIsRelease(t *testing.T) {
	cases := []struct {
		version, python string
		want            bool
	}{
		{"dev", "", false},
		{"", "", false},
		{"0.17.0", "", false},
		{"dev", "0.17.0", false},
		{"0.17.0", "0.17.0", true},
		{"0.17.0-alpha3", "0.17.0a3", true},
	}
	for _, c := range cases {
		withVersion(t, c.version, c.python, "")
		if got := IsRelease(); got != c.want {
			t.Errorf("IsRelease() with Version=%q PythonVersion=%q = %v, want %v", c.version, c.python, got, c.want)
		}
	}
}

func TestVersionString(t *testing.T) {
	withVersion(t, "dev", "", "")
	if got, want := VersionString(), "cog version dev [development build]"; got != want {
		t.Errorf("VersionString() = %q, want %q", got, want)
	}
	withVersion(t, "0.17.0", "0.17.0", "abc123")
	if got, want := VersionString(), "cog version 0.17.0 (commit abc123)"; got != want {
		t.Errorf("VersionString() = %q, want %q", got, want)
	}
}
