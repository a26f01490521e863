package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replicate/cog/pkg/global"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "cog version ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := runCLI(t, nil, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
}

func TestWheelSourceIsOneLineOfJSON(t *testing.T) {
	dist := t.TempDir()
	wheel := filepath.Join(dist, "cog-0.17.0-py3-none-any.whl")
	if err := os.WriteFile(wheel, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, map[string]string{"COG_WHEEL": "dist"}, "wheel-source", "--package", "cog", "--dist", dist)
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("wheel-source: %d %q", code, out)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got["source"] != "file" || got["path"] != wheel || got["env"] != "COG_WHEEL" || got["value"] != "dist" {
		t.Errorf("wheel-source = %v", got)
	}
}

func TestWheelSourceReleasedCLI(t *testing.T) {
	oldV, oldP := global.Version, global.PythonVersion
	global.Version, global.PythonVersion = "0.17.0-alpha3", "0.17.0a3"
	defer func() { global.Version, global.PythonVersion = oldV, oldP }()

	code, out, _ := runCLI(t, nil, "wheel-source", "--dist", t.TempDir())
	if code != 0 || !strings.Contains(out, `"spec":"cog==0.17.0a3"`) {
		t.Fatalf("released cog: %d %q", code, out)
	}
	code, out, _ = runCLI(t, nil, "wheel-source", "--package", "coglet", "--dist", t.TempDir())
	if code != 0 || !strings.Contains(out, `"source":"none"`) {
		t.Fatalf("released coglet: %d %q", code, out)
	}
}

func TestWheelSourceError(t *testing.T) {
	code, out, errOut := runCLI(t, map[string]string{"COGLET_WHEEL": "dist"}, "wheel-source", "--package", "coglet", "--dist", t.TempDir())
	if code != 1 || !strings.Contains(out, `"error":`) || !strings.Contains(errOut, "COGLET_WHEEL=dist") {
		t.Fatalf("error: %d %q %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, nil, "wheel-source", "--package", "torch"); code != 1 {
		t.Fatalf("unknown package: %d", code)
	}
}
