package container

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestExtractFlatKeepsOnlyTheTopFiles(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range []tar.Header{
		{Typeflag: tar.TypeDir, Name: "servers/"},
		{Typeflag: tar.TypeReg, Name: "servers/index.json", Size: 2},
		{Typeflag: tar.TypeReg, Name: "servers/a_case_1_1_1.json", Size: 2},
		{Typeflag: tar.TypeDir, Name: "servers/sub/"},
		{Typeflag: tar.TypeReg, Name: "servers/sub/deeper.json", Size: 2},
		{Typeflag: tar.TypeSymlink, Name: "servers/link.json", Linkname: "/etc/passwd"},
		{Typeflag: tar.TypeReg, Name: "servers/../escape.json", Size: 2},
	} {
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			tw.Write([]byte("{}"))
		}
	}
	tw.Close()
	dir := t.TempDir()
	n, err := extractFlat(tar.NewReader(&buf), dir)
	if err != nil || n != 2 {
		t.Fatalf("extracted %d files, %v; want 2", n, err)
	}
	var got []string
	filepath.WalkDir(filepath.Dir(dir), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			got = append(got, p)
		}
		return nil
	})
	want := []string{filepath.Join(dir, "a_case_1_1_1.json"), filepath.Join(dir, "index.json")}
	if !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
}
