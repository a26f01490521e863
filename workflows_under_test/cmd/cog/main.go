// Command cog is the cog CLI (a miniature of it).
//
//	cog version
//	cog wheel-source [--package cog|coglet] [--dist DIR]
//
// wheel-source prints, as one line of JSON, where the wheel of the package would be
// installed from, following COG_WHEEL / COGLET_WHEEL (see pkg/wheels).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/replicate/cog/pkg/global"
	"github.com/replicate/cog/pkg/wheels"
)

const usage = `usage:
  cog version
  cog wheel-source [--package cog|coglet] [--dist DIR]
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "version", "--version":
		fmt.Fprintln(stdout, global.VersionString())
		return 0
	case "wheel-source":
		return wheelSource(args[1:], stdout, stderr, getenv)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "cog: unknown command %q\n%s", args[0], usage)
		return 2
	}
}

func wheelSource(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("wheel-source", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pkg := fs.String("package", wheels.Cog, "package: cog or coglet")
	dist := fs.String("dist", "", "dist directory (default: dist/ of the repository)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dist == "" {
		cwd, err := os.Getwd()
		if err != nil {
			fmt.Fprintf(stderr, "cog: %v\n", err)
			return 1
		}
		*dist = wheels.RepoDistDir(cwd)
	}
	result, err := wheels.Resolve(wheels.Options{
		Package: *pkg,
		Value:   getenv(wheels.EnvVar(*pkg)),
		Release: global.IsRelease(),
		Version: global.PythonVersion,
		DistDir: *dist,
	})
	enc := json.NewEncoder(stdout)
	if err != nil {
		_ = enc.Encode(map[string]string{"package": *pkg, "env": wheels.EnvVar(*pkg), "error": err.Error()})
		fmt.Fprintf(stderr, "cog: %v\n", err)
		return 1
	}
	if err := enc.Encode(result); err != nil {
		fmt.Fprintf(stderr, "cog: %v\n", err)
		return 1
	}
	return 0
}
