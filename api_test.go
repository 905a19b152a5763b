package autobahn_test

import (
	"bufio"
	"bytes"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// publicPackages are the packages users import: their exported API names
// only public types.
var publicPackages = []string{"suite", "autobahntest", "harness", "assertions", "cases", "fakeserver", "fakeclient", "report"}

// TestPublicAPINamesNoInternalType walks the exported API of every public
// package (functions, methods, variables, constants, exported fields and
// the types they name, transitively) and fails on a type of a package
// under internal/, which no user can name or build.
func TestPublicAPINamesNoInternalType(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the module's export data")
	}
	pkgs := loadPackages(t, publicPackages)
	for _, name := range publicPackages {
		pkg := pkgs["github.com/wsfuzz/autobahn/"+name]
		w := &apiWalker{seen: map[types.Type]bool{}}
		scope := pkg.Scope()
		for _, n := range scope.Names() {
			obj := scope.Lookup(n)
			if !obj.Exported() {
				continue
			}
			w.walk(name+"."+n, obj.Type())
			if tn, ok := obj.(*types.TypeName); ok {
				w.methods(name+"."+n, tn.Type())
			}
		}
		slices.Sort(w.leaks)
		for _, l := range slices.Compact(w.leaks) {
			t.Errorf("%s", l)
		}
	}
}

// apiWalker collects the internal types an exported API reaches.
type apiWalker struct {
	seen  map[types.Type]bool
	leaks []string
}

func (w *apiWalker) walk(where string, typ types.Type) {
	if n, ok := typ.(*types.Named); ok {
		if p := n.Obj().Pkg(); p != nil && strings.Contains(p.Path(), "/internal/") {
			w.leaks = append(w.leaks, fmt.Sprintf("%s names %s.%s of %s", where, p.Name(), n.Obj().Name(), p.Path()))
			return
		}
	}
	if w.seen[typ] {
		return
	}
	w.seen[typ] = true
	switch t := typ.(type) {
	case *types.Named:
		if p := t.Obj().Pkg(); p == nil || !strings.HasPrefix(p.Path(), "github.com/wsfuzz/autobahn") {
			return // the standard library's and other modules' types are theirs
		}
		for i := range t.TypeArgs().Len() {
			w.walk(where, t.TypeArgs().At(i))
		}
		w.walk(where+"."+t.Obj().Name(), t.Underlying())
		w.methods(where, t)
	case *types.Pointer:
		w.walk(where, t.Elem())
	case *types.Slice:
		w.walk(where, t.Elem())
	case *types.Array:
		w.walk(where, t.Elem())
	case *types.Map:
		w.walk(where, t.Key())
		w.walk(where, t.Elem())
	case *types.Chan:
		w.walk(where, t.Elem())
	case *types.Signature:
		for _, tup := range []*types.Tuple{t.Params(), t.Results()} {
			for i := range tup.Len() {
				w.walk(where, tup.At(i).Type())
			}
		}
	case *types.Struct:
		for i := range t.NumFields() {
			if f := t.Field(i); f.Exported() {
				w.walk(where+"."+f.Name(), f.Type())
			}
		}
	case *types.Interface:
		for i := range t.NumMethods() {
			if m := t.Method(i); m.Exported() {
				w.walk(where+"."+m.Name(), m.Type())
			}
		}
	}
}

// methods walks the exported methods of typ and of *typ.
func (w *apiWalker) methods(where string, typ types.Type) {
	if _, ok := typ.(*types.Named); !ok {
		return
	}
	ms := types.NewMethodSet(types.NewPointer(typ))
	for i := range ms.Len() {
		if m := ms.At(i).Obj(); m.Exported() {
			w.walk(where+"."+m.Name(), m.Type())
		}
	}
}

// loadPackages type-checks the packages from the go command's export data.
func loadPackages(t *testing.T, names []string) map[string]*types.Package {
	t.Helper()
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}} {{.Export}}"}
	for _, n := range names {
		args = append(args, "./"+n)
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command("go", args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	exports := map[string]string{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if path, file, ok := strings.Cut(sc.Text(), " "); ok && file != "" {
			exports[path] = file
		}
	}
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
	pkgs := map[string]*types.Package{}
	for _, n := range names {
		path := "github.com/wsfuzz/autobahn/" + n
		p, err := imp.Import(path)
		if err != nil {
			t.Fatalf("import %s: %v", path, err)
		}
		pkgs[path] = p
	}
	return pkgs
}

// TestOptionsAlike checks that the plain-testing package has every option
// of the Ginkgo suite, with the same name and signature, so that an option
// means the same in both.
func TestOptionsAlike(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the module's export data")
	}
	pkgs := loadPackages(t, []string{"suite", "autobahntest", "harness"})
	option := pkgs["github.com/wsfuzz/autobahn/harness"].Scope().Lookup("Option").Type()
	options := func(p *types.Package) map[string]*types.Signature {
		out := map[string]*types.Signature{}
		for _, n := range p.Scope().Names() {
			f, ok := p.Scope().Lookup(n).(*types.Func)
			if !ok || !f.Exported() {
				continue
			}
			sig := f.Type().(*types.Signature)
			if sig.Results().Len() == 1 && types.Identical(sig.Results().At(0).Type(), option) {
				out[n] = sig
			}
		}
		return out
	}
	fromSuite := options(pkgs["github.com/wsfuzz/autobahn/suite"])
	fromPlain := options(pkgs["github.com/wsfuzz/autobahn/autobahntest"])
	if len(fromSuite) < 10 {
		t.Fatalf("suite has %d options; the test does not see them", len(fromSuite))
	}
	for n, sig := range fromSuite {
		if got, ok := fromPlain[n]; !ok {
			t.Errorf("autobahntest has no option %s (suite.%s%s)", n, n, sig)
		} else if !types.Identical(got, sig) {
			t.Errorf("autobahntest.%s%s differs from suite.%s%s", n, got, n, sig)
		}
	}
	for n := range fromPlain {
		if _, ok := fromSuite[n]; !ok {
			t.Errorf("autobahntest.%s has no counterpart in suite", n)
		}
	}
}
