package wheels

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func touch(t *testing.T, dir, name string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("wheel"), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func TestResolveTable(t *testing.T) {
	withDist := t.TempDir()
	cogWheel := touch(t, withDist, "cog-0.17.0-py3-none-any.whl")
	cogletWheel := touch(t, withDist, "coglet-0.17.0-cp310-abi3-linux_x86_64.whl")
	emptyDist := filepath.Join(t.TempDir(), "dist") // does not exist
	local := touch(t, t.TempDir(), "cog-0.16.0-py3-none-any.whl")

	cases := []struct {
		name    string
		opts    Options
		source  string
		spec    string
		wantErr string
	}{
		{"released, unset", Options{Package: Cog, Release: true, Version: "0.17.0", DistDir: withDist}, SourcePyPI, "cog==0.17.0", ""},
		{"released prerelease, unset", Options{Package: Cog, Release: true, Version: "0.17.0a3"}, SourcePyPI, "cog==0.17.0a3", ""},
		{"dev, unset, dist present", Options{Package: Cog, DistDir: withDist}, SourceFile, cogWheel, ""},
		{"dev, unset, no dist", Options{Package: Cog, DistDir: emptyDist}, SourcePyPI, "cog", ""},
		{"force pypi", Options{Package: Cog, Value: "pypi", DistDir: withDist}, SourcePyPI, "cog", ""},
		{"force pypi, released", Options{Package: Cog, Value: "pypi", Release: true, Version: "0.17.0"}, SourcePyPI, "cog", ""},
		{"specific version", Options{Package: Cog, Value: "pypi:0.12.0", DistDir: withDist}, SourcePyPI, "cog==0.12.0", ""},
		{"specific version, released", Options{Package: Cog, Value: "pypi:0.12.0", Release: true, Version: "0.17.0"}, SourcePyPI, "cog==0.12.0", ""},
		{"bad version", Options{Package: Cog, Value: "pypi:"}, "", "", "invalid version"},
		{"bad version 2", Options{Package: Cog, Value: "pypi:>=1"}, "", "", "invalid version"},
		{"local wheel", Options{Package: Cog, Value: local, DistDir: withDist}, SourceFile, local, ""},
		{"local wheel missing", Options{Package: Cog, Value: "/nonexistent/cog-1.0.0-py3-none-any.whl"}, "", "", "no such wheel file"},
		{"local wheel of the wrong package", Options{Package: Cog, Value: cogletWheel}, "", "", "is not a cog wheel"},
		{"force dist", Options{Package: Cog, Value: "dist", DistDir: withDist}, SourceFile, cogWheel, ""},
		{"force dist, released", Options{Package: Cog, Value: "dist", Release: true, Version: "0.17.0", DistDir: withDist}, SourceFile, cogWheel, ""},
		{"force dist, missing", Options{Package: Cog, Value: "dist", DistDir: emptyDist}, "", "", "COG_WHEEL=dist: no cog-*.whl"},

		{"coglet released, unset", Options{Package: Coglet, Release: true, Version: "0.17.0", DistDir: withDist}, SourceNone, "", ""},
		{"coglet dev, unset, dist present", Options{Package: Coglet, DistDir: withDist}, SourceFile, cogletWheel, ""},
		{"coglet dev, unset, nothing found", Options{Package: Coglet, DistDir: emptyDist}, SourceNone, "", ""},
		{"coglet pypi", Options{Package: Coglet, Value: "pypi"}, SourcePyPI, "coglet", ""},
		{"coglet pypi version", Options{Package: Coglet, Value: "pypi:0.17.0a3"}, SourcePyPI, "coglet==0.17.0a3", ""},
		{"coglet path", Options{Package: Coglet, Value: cogletWheel}, SourceFile, cogletWheel, ""},
		{"coglet dist", Options{Package: Coglet, Value: "dist", DistDir: withDist}, SourceFile, cogletWheel, ""},
		{"coglet dist, missing", Options{Package: Coglet, Value: "dist", DistDir: emptyDist}, "", "", "COGLET_WHEEL=dist: no coglet-*.whl"},

		{"unknown package", Options{Package: "torch"}, "", "", "unknown package"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Resolve(c.opts)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("Resolve() error = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve() error = %v", err)
			}
			if got.Source != c.source || got.Spec != c.spec {
				t.Errorf("Resolve() = %s %q, want %s %q", got.Source, got.Spec, c.source, c.spec)
			}
			if got.Env != EnvVar(c.opts.Package) || got.Package != c.opts.Package {
				t.Errorf("Resolve() package/env = %s/%s", got.Package, got.Env)
			}
			if (got.Source == SourceFile) != (got.Path != "") {
				t.Errorf("Resolve() path = %q for source %s", got.Path, got.Source)
			}
		})
	}
}

func TestFindDistWheelPicksLastByName(t *testing.T) {
	dist := t.TempDir()
	touch(t, dist, "cog-0.16.0-py3-none-any.whl")
	want := touch(t, dist, "cog-0.17.0-py3-none-any.whl")
	touch(t, dist, "cog-0.17.0.tar.gz")
	touch(t, dist, "coglet-0.18.0-cp310-abi3-linux_x86_64.whl")
	got, err := FindDistWheel(dist, Cog)
	if err != nil || got != want {
		t.Fatalf("FindDistWheel() = %q, %v; want %q", got, err, want)
	}
	if _, err := FindDistWheel(t.TempDir(), Cog); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("FindDistWheel(empty) error = %v, want ErrNotExist", err)
	}
}

func TestRepoDistDir(t *testing.T) {
	repo := t.TempDir()
	touch(t, repo, "go.mod")
	touch(t, filepath.Join(repo, "crates"), "Cargo.toml")
	sub := filepath.Join(repo, "pkg", "wheels")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, want := RepoDistDir(sub), filepath.Join(repo, "dist"); got != want {
		t.Errorf("RepoDistDir() = %q, want %q", got, want)
	}
	other := t.TempDir()
	if got, want := RepoDistDir(other), filepath.Join(other, "dist"); got != want {
		t.Errorf("RepoDistDir(outside) = %q, want %q", got, want)
	}
}

// TestCOGWheelArtifact checks a real SDK wheel when COG_WHEEL points at one (the CI job
// test-go sets it to the wheel of the CogPackage artifact built by build-sdk).
func TestCOGWheelArtifact(t *testing.T) {
	value := os.Getenv("COG_WHEEL")
	if value == "" || strings.HasPrefix(value, "pypi") || value == "dist" {
		t.Skip("COG_WHEEL does not name a wheel file")
	}
	r, err := Resolve(Options{Package: Cog, Value: value})
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != SourceFile {
		t.Fatalf("source = %s, want file", r.Source)
	}
	zr, err := zip.OpenReader(r.Path)
	if err != nil {
		t.Fatalf("%s is not a wheel: %v", r.Path, err)
	}
	defer zr.Close()
	found := map[string]bool{}
	for _, f := range zr.File {
		switch {
		case f.Name == "cog/__init__.py", f.Name == "cog/predictor.py":
			found[f.Name] = true
		case strings.HasSuffix(f.Name, ".dist-info/METADATA"):
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 4096)
			n, _ := rc.Read(buf)
			rc.Close()
			if !strings.Contains(string(buf[:n]), "\nName: cog\n") {
				t.Errorf("METADATA does not name cog:\n%s", buf[:n])
			}
			found["METADATA"] = true
		}
	}
	for _, want := range []string{"cog/__init__.py", "cog/predictor.py", "METADATA"} {
		if !found[want] {
			t.Errorf("%s: missing %s", r.Path, want)
		}
	}
}
