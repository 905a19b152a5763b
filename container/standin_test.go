package container

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// The stand-in image: our wstest, a static binary, in an image imported
// from a tarball, with the interface of the real image: wstest on the PATH,
// --mode and --spec /config/<mode>.json, reports under /reports, port 9001,
// volumes /config and /reports, fuzzingserver mode by default. Tests use it
// unless $AUTOBAHN_IMAGE names another image (the nightly job's real one).
var standIn struct {
	once sync.Once
	ref  string
	err  error
}

// standInChanges are the image settings, as in the real image's Dockerfile.
var standInChanges = []string{
	`CMD ["wstest", "--mode", "fuzzingserver", "--spec", "/config/fuzzingserver.json"]`,
	`ENV PATH=/usr/local/bin`,
	`WORKDIR /`,
	`EXPOSE 9001`,
	`VOLUME ["/config", "/reports"]`,
}

// testImage is the image the tests run: $AUTOBAHN_IMAGE when set, else the
// stand-in, built on first use.
func testImage(t testing.TB) Image {
	t.Helper()
	if os.Getenv(ImageEnv) != "" {
		return Image{}
	}
	standIn.once.Do(func() { standIn.ref, standIn.err = buildStandIn() })
	if standIn.err != nil {
		t.Fatalf("stand-in image: %v", standIn.err)
	}
	return Image{Ref: standIn.ref, ListenFlag: true}
}

// buildStandIn builds wstest and imports it as an image.
func buildStandIn() (string, error) {
	return buildImage("..", "./cmd/wstest", "wsfuzz/autobahn-standin")
}

// buildImage builds the Go command pkg (in the module at dir) as a static
// binary and imports it as an image named name:<unique tag> whose wstest it
// is.
func buildImage(dir, pkg, name string) (string, error) {
	tmp, err := os.MkdirTemp("", "autobahn-standin-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "wstest")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	rootfs, err := standInRootfs(bin)
	if err != nil {
		return "", err
	}
	ref := fmt.Sprintf("%s:%d-%d", name, os.Getpid(), time.Now().UnixNano())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return "", err
	}
	defer cli.Close()
	rc, err := cli.ImageImport(ctx, client.ImageImportSource{Source: rootfs, SourceName: "-"}, ref,
		client.ImageImportOptions{Changes: standInChanges})
	if err != nil {
		return "", fmt.Errorf("import: %w", err)
	}
	defer rc.Close()
	// the engine reports progress and errors as a stream of JSON objects
	dec := json.NewDecoder(rc)
	for {
		var msg struct{ Error string }
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return ref, fmt.Errorf("import: %w", err)
		}
		if msg.Error != "" {
			return ref, fmt.Errorf("import: %s", msg.Error)
		}
	}
	return ref, nil
}

// standInRootfs is the image's file system as a tarball: the binary and the
// directories the real image has.
func standInRootfs(bin string) (io.Reader, error) {
	b, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, d := range []string{"config/", "reports/", "usr/", "usr/local/", "usr/local/bin/"} {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d, Mode: 0o755}); err != nil {
			return nil, err
		}
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "usr/local/bin/wstest", Mode: 0o755, Size: int64(len(b))}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(b); err != nil {
		return nil, err
	}
	return &buf, tw.Close()
}

// cleanUp removes the images the tests built and every container left of
// this run, and reports what it had to
// remove: a test must leave nothing.
func cleanUp() error {
	images := built()
	if os.Getenv(ImageEnv) == "" && len(images) == 0 {
		return nil // no test ran a container
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return err
	}
	defer cli.Close()
	// the containers of the images built here, or of the package's label
	// when the tests ran a real image
	filters := make(client.Filters).Add("ancestor", images...)
	if os.Getenv(ImageEnv) != "" {
		filters = make(client.Filters).Add("label", specFileLabel)
	}
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: filters})
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range list.Items {
		errs = append(errs, fmt.Errorf("container %s (%s) was left behind", c.ID[:12], c.Image))
		if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
			errs = append(errs, err)
		}
	}
	for _, ref := range images {
		if _, err := cli.ImageRemove(ctx, ref, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil {
			errs = append(errs, fmt.Errorf("remove the image %s: %w", ref, err))
		}
	}
	return errors.Join(errs...)
}

// built are the images the tests built.
func built() []string {
	var refs []string
	for _, ref := range []string{standIn.ref, stallImage.ref} {
		if ref != "" {
			refs = append(refs, ref)
		}
	}
	return refs
}

func TestMain(m *testing.M) {
	// The tests remove what they start themselves, and the reaper's image
	// cannot be pulled where no registry answers: run without it unless told
	// otherwise.
	if _, set := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	code := m.Run()
	if os.Getenv(suiteEnv) != "" {
		os.Exit(code) // the process that started this one cleans up
	}
	if err := cleanUp(); err != nil {
		fmt.Fprintln(os.Stderr, "container tests:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// requireDocker skips t where no Docker engine answers, or fails it under
// the nightly switch.
func requireDocker(t *testing.T) {
	t.Helper()
	if err := Available(context.Background()); err != nil {
		if Required() {
			t.Fatal(UnavailableMessage(err))
		}
		t.Skip(UnavailableMessage(err))
	}
}
