// Package wheels decides where the cog SDK and coglet wheels installed into a model
// container come from (see "SDK wheel sourcing" in docs/README.md):
//
//	COG_WHEEL value     released CLI                 dev CLI (built in the repo)
//	(unset)             pypi  cog==<CLI version>     dist/cog-*.whl if present, else pypi (latest)
//	pypi                pypi  cog (latest)
//	pypi:0.12.0         pypi  cog==0.12.0
//	/path/to/cog.whl    that file (must exist and be a cog wheel)
//	dist                dist/cog-*.whl, error if there is none
//
// COGLET_WHEEL follows the same pattern for coglet, except that coglet is optional: when
// unset, a dev CLI uses dist/coglet-*.whl if present and otherwise installs nothing, and
// a released CLI installs nothing.
package wheels

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Package names.
const (
	Cog    = "cog"
	Coglet = "coglet"
)

// Sources of a wheel.
const (
	SourcePyPI = "pypi" // install Spec from the package index
	SourceFile = "file" // install the local wheel at Path
	SourceNone = "none" // install nothing
)

// Options describe one resolution.
type Options struct {
	Package string // Cog or Coglet
	Value   string // value of the environment variable (COG_WHEEL / COGLET_WHEEL)
	Release bool   // the CLI is a released build
	Version string // PEP 440 version of a released CLI
	DistDir string // the repository's dist/ directory
}

// Result is where to install the package from.  Spec is what to hand to pip install.
type Result struct {
	Package string `json:"package"`
	Env     string `json:"env"`
	Value   string `json:"value"`
	Source  string `json:"source"`
	Spec    string `json:"spec,omitempty"`
	Path    string `json:"path,omitempty"`
}

// EnvVar is the environment variable that overrides the source of pkg.
func EnvVar(pkg string) string {
	if pkg == Coglet {
		return "COGLET_WHEEL"
	}
	return "COG_WHEEL"
}

// Optional reports whether pkg is installed only when asked for or found in dist/.
func Optional(pkg string) bool { return pkg == Coglet }

// Resolve applies the wheel sourcing rules.
func Resolve(o Options) (Result, error) {
	if o.Package != Cog && o.Package != Coglet {
		return Result{}, fmt.Errorf("unknown package %q (want %q or %q)", o.Package, Cog, Coglet)
	}
	env := EnvVar(o.Package)
	value := strings.TrimSpace(o.Value)
	r := Result{Package: o.Package, Env: env, Value: value}
	pypi := func(spec string) (Result, error) {
		r.Source, r.Spec = SourcePyPI, spec
		return r, nil
	}
	file := func(path string) (Result, error) {
		r.Source, r.Spec, r.Path = SourceFile, path, path
		return r, nil
	}

	switch {
	case value == "":
		if o.Release {
			if Optional(o.Package) {
				r.Source = SourceNone
				return r, nil
			}
			if o.Version == "" {
				return r, errors.New("released CLI without a version")
			}
			return pypi(o.Package + "==" + o.Version)
		}
		path, err := FindDistWheel(o.DistDir, o.Package)
		if err == nil {
			return file(path)
		}
		if !errors.Is(err, os.ErrNotExist) {
			return r, err
		}
		if Optional(o.Package) {
			r.Source = SourceNone
			return r, nil
		}
		return pypi(o.Package)
	case value == "pypi":
		return pypi(o.Package)
	case strings.HasPrefix(value, "pypi:"):
		version := strings.TrimPrefix(value, "pypi:")
		if !validVersion(version) {
			return r, fmt.Errorf("%s=%s: invalid version %q", env, value, version)
		}
		return pypi(o.Package + "==" + version)
	case value == "dist":
		path, err := FindDistWheel(o.DistDir, o.Package)
		if err != nil {
			return r, fmt.Errorf("%s=dist: %w", env, err)
		}
		return file(path)
	default:
		path, err := checkWheelFile(value, o.Package)
		if err != nil {
			return r, fmt.Errorf("%s=%s: %w", env, value, err)
		}
		return file(path)
	}
}

// FindDistWheel returns the wheel of pkg in distDir (the last one in name order when
// there are several); the error wraps os.ErrNotExist when there is none.
func FindDistWheel(distDir, pkg string) (string, error) {
	if distDir == "" {
		distDir = "dist"
	}
	matches, err := filepath.Glob(filepath.Join(distDir, pkg+"-*.whl"))
	if err != nil {
		return "", err
	}
	sort.Strings(matches)
	for i := len(matches) - 1; i >= 0; i-- {
		if info, err := os.Stat(matches[i]); err == nil && info.Mode().IsRegular() {
			return filepath.Abs(matches[i])
		}
	}
	return "", fmt.Errorf("no %s-*.whl in %s: %w", pkg, distDir, os.ErrNotExist)
}

func checkWheelFile(path, pkg string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("no such wheel file")
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("not a regular file")
	}
	name := filepath.Base(path)
	if !strings.HasSuffix(name, ".whl") || !strings.HasPrefix(name, pkg+"-") {
		return "", fmt.Errorf("%s is not a %s wheel (want %s-*.whl)", name, pkg, pkg)
	}
	return filepath.Abs(path)
}

func validVersion(v string) bool {
	if v == "" || strings.ContainsAny(v, " ,;=<>!~") {
		return false
	}
	c := v[0]
	return c >= '0' && c <= '9'
}

// RepoDistDir is dist/ of the repository containing dir: the nearest ancestor holding
// go.mod and crates/Cargo.toml, or dir itself outside a cog checkout.
func RepoDistDir(dir string) string {
	for d := dir; ; {
		if isFile(filepath.Join(d, "go.mod")) && isFile(filepath.Join(d, "crates", "Cargo.toml")) {
			return filepath.Join(d, "dist")
		}
		parent := filepath.Dir(d)
		if parent == d {
			return filepath.Join(dir, "dist")
		}
		d = parent
	}
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}
