package container

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/report"
)

// Reports are the fuzzer's reports, copied out of its container.
type Reports struct {
	// Dir holds index.json and one JSON file per case, plus the HTML
	// report when the image writes one.
	Dir string
	// Results are the cases of every agent, sorted by agent and case id.
	Results []*report.Result
	// Log is the container's output.
	Log string
}

// Result is the result of case id for agent, or nil.
func (r *Reports) Result(agent, id string) *report.Result {
	for _, res := range r.Results {
		if res.Agent == agent && res.ID == id {
			return res
		}
	}
	return nil
}

// ReadReports reads a report directory as the fuzzer (ours or the real one)
// writes it: index.json and the per-case files it names.
func ReadReports(dir string) (*Reports, error) {
	idx, err := report.ReadIndex(dir)
	if err != nil {
		return nil, err
	}
	out := &Reports{Dir: dir}
	for agent, byID := range idx {
		for id, e := range byID {
			if err := plainName(e.ReportFile); err != nil {
				return nil, fmt.Errorf("container: index.json, agent %q, case %s: %w", agent, id, err)
			}
			res, err := report.ReadResult(filepath.Join(dir, e.ReportFile))
			if err != nil {
				return nil, err
			}
			if res.Agent != agent || res.ID != id {
				return nil, fmt.Errorf("container: %s holds case %s of %q, index.json says case %s of %q",
					e.ReportFile, res.ID, res.Agent, id, agent)
			}
			out.Results = append(out.Results, res)
		}
	}
	slices.SortFunc(out.Results, func(a, b *report.Result) int {
		if c := strings.Compare(a.Agent, b.Agent); c != 0 {
			return c
		}
		return cases.CompareIDs(a.ID, b.ID)
	})
	return out, nil
}

// plainName refuses report file names that would leave the directory.
func plainName(name string) error {
	if name == "" || name != filepath.Base(name) || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return fmt.Errorf("report file name %q is not a plain file name", name)
	}
	return nil
}

// copyReports copies the files of outDir in the container (index.json, the
// per-case files, the HTML report when the image writes one) into dir, in
// one archive request: each request mounts the container's file system,
// which costs the same for one file as for all.
func copyReports(ctx context.Context, ctr *testcontainers.DockerContainer, outDir, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create the report directory: %w", err)
	}
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return fmt.Errorf("copy %s out of the container: %w", outDir, err)
	}
	defer cli.Close()
	res, err := cli.CopyFromContainer(ctx, ctr.GetContainerID(), client.CopyFromContainerOptions{SourcePath: outDir})
	if err != nil {
		return fmt.Errorf("copy %s out of the container: %w", outDir, err)
	}
	defer res.Content.Close()
	n, err := extractFlat(tar.NewReader(res.Content), dir)
	if err != nil {
		return fmt.Errorf("copy %s out of the container: %w", outDir, err)
	}
	if n == 0 {
		return fmt.Errorf("copy %s out of the container: the fuzzer wrote no report there", outDir)
	}
	return nil
}

// extractFlat writes the regular files directly inside the archive's top
// directory into dir and returns how many there were; anything deeper is
// left out.
func extractFlat(tr *tar.Reader, dir string) (int, error) {
	n := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		parts := strings.Split(strings.TrimSuffix(h.Name, "/"), "/")
		if h.Typeflag != tar.TypeReg || len(parts) != 2 || plainName(parts[1]) != nil {
			continue
		}
		if err := writeFile(filepath.Join(dir, parts[1]), tr); err != nil {
			return n, err
		}
		n++
	}
}

func writeFile(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
