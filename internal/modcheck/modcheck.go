// Package modcheck checks a module's go.mod against what the module needs,
// for the tests of this repository's two modules: the go line must be the
// lowest Go version the module's requirements allow (so that adding the
// harness does not raise a user's go line further than its dependencies
// force), and exactly the modules whose packages the module imports must be
// direct requirements.
package modcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
)

// Problems returns what is wrong with the go.mod of the module in dir, in a
// stable order; none when it is as it should be.
func Problems(dir string) ([]string, error) {
	path := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("modcheck: %w", err)
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return nil, fmt.Errorf("modcheck: %w", err)
	}
	var problems []string
	floor, by, err := Floor(dir)
	if err != nil {
		return nil, err
	}
	switch {
	case f.Go == nil:
		problems = append(problems, fmt.Sprintf("go.mod has no go line; want go %s (needed by %s)", floor, by))
	case f.Go.Version != floor:
		problems = append(problems, fmt.Sprintf("go line is %s; want %s, the highest go line of the requirements (%s)", f.Go.Version, floor, by))
	}
	direct, err := directModules(dir)
	if err != nil {
		return nil, err
	}
	required := map[string]bool{}
	for _, r := range f.Require {
		required[r.Mod.Path] = true
		switch {
		case direct[r.Mod.Path] && r.Indirect:
			problems = append(problems, fmt.Sprintf("%s is imported directly but marked // indirect", r.Mod.Path))
		case !direct[r.Mod.Path] && !r.Indirect:
			problems = append(problems, fmt.Sprintf("%s is not imported directly but not marked // indirect", r.Mod.Path))
		}
	}
	for m := range direct {
		if !required[m] {
			problems = append(problems, fmt.Sprintf("%s is imported but not required", m))
		}
	}
	sort.Strings(problems)
	return problems, nil
}

// Floor is the lowest go line the module in dir can have: the highest go
// line among the modules of its build list, and the module that has it.
func Floor(dir string) (version, module string, err error) {
	out, err := goCmd(dir, "list", "-m", "-f", "{{if not .Main}}{{.Path}} {{.GoVersion}}{{end}}", "all")
	if err != nil {
		return "", "", err
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, v, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || v == "" {
			continue // a module without a go line needs nothing
		}
		c, err := Compare(v, version)
		if err != nil {
			return "", "", fmt.Errorf("modcheck: module %s: %w", path, err)
		}
		if version == "" || c > 0 {
			version, module = v, path
		}
	}
	if version == "" {
		return "", "", errors.New("modcheck: no requirement has a go line")
	}
	return version, module, nil
}

// pkg is what go list -json tells about a package.
type pkg struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Module     *struct {
		Path string
		Main bool
	}
}

// directModules are the modules, other than the main one, that provide a
// package imported by a package (or test) of the module in dir.
func directModules(dir string) (map[string]bool, error) {
	out, err := goCmd(dir, "list", "-deps", "-test", "-json=ImportPath,Standard,Imports,Module", "./...")
	if err != nil {
		return nil, err
	}
	var all []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("modcheck: go list output: %w", err)
		}
		all = append(all, p)
	}
	moduleOf := map[string]string{}
	for _, p := range all {
		if p.Module != nil && !p.Module.Main {
			moduleOf[p.ImportPath] = p.Module.Path
		}
	}
	direct := map[string]bool{}
	for _, p := range all {
		if p.Module == nil || !p.Module.Main {
			continue
		}
		for _, imp := range p.Imports {
			if m, ok := moduleOf[imp]; ok {
				direct[m] = true
			}
		}
	}
	return direct, nil
}

func goCmd(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("modcheck: go %s in %s: %w\n%s", strings.Join(args, " "), dir, err, stderr.String())
	}
	return out, nil
}

// Compare orders Go versions as the go command does: "1.25" (the language
// version) before "1.25rc1" before "1.25.0" before "1.25.1". An empty
// version is lower than any other.
func Compare(a, b string) (int, error) {
	pa, err := parse(a)
	if err != nil {
		return 0, err
	}
	pb, err := parse(b)
	if err != nil {
		return 0, err
	}
	for i := range pa {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1, nil
			}
			return 1, nil
		}
	}
	return 0, nil
}

// parse turns a Go version into comparable numbers: major, minor, kind (0
// language version, 1 beta, 2 rc, 3 release), then the beta or rc number or
// the patch.
func parse(v string) ([4]int, error) {
	var out [4]int
	if v == "" {
		return [4]int{-1}, nil
	}
	major, rest, _ := strings.Cut(v, ".")
	minor, patch, hasPatch := strings.Cut(rest, ".")
	kind, n := 0, "0"
	switch {
	case hasPatch:
		kind, n = 3, patch
	case strings.Contains(minor, "rc"):
		minor, n, _ = strings.Cut(minor, "rc")
		kind = 2
	case strings.Contains(minor, "beta"):
		minor, n, _ = strings.Cut(minor, "beta")
		kind = 1
	}
	if minor == "" {
		minor = "0"
	}
	for i, s := range []string{major, minor, strconv.Itoa(kind), n} {
		x, err := strconv.Atoi(s)
		if err != nil || x < 0 {
			return out, fmt.Errorf("bad Go version %q", v)
		}
		out[i] = x
	}
	return out, nil
}
