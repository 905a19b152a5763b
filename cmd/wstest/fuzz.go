package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/internal/fuzz/play"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// fuzzMode reports whether args ask for -m fuzz or -m replay, which have
// flags of their own.
func fuzzMode(args []string) bool {
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "m" && name != "mode") {
			continue
		}
		if !hasValue && i+1 < len(args) {
			value = args[i+1]
		}
		if value == "fuzz" || value == "replay" {
			return true
		}
	}
	return false
}

// fuzzConfig is the command line of -m fuzz and -m replay.
type fuzzConfig struct {
	mode, url, listen, outdir string
	count                     int
	duration, bound           time.Duration
	seed                      uint64
	files                     []string
}

func parseFuzzFlags(args []string, stderr io.Writer) (*fuzzConfig, error) {
	c := &fuzzConfig{}
	fs := flag.NewFlagSet("wstest -m fuzz|replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, name := range []string{"m", "mode"} {
		fs.StringVar(&c.mode, name, "", "fuzz: play random scripts against a server; replay: play saved scripts again")
	}
	for _, name := range []string{"w", "wsuri"} {
		fs.StringVar(&c.url, name, "", "the ws:// URL of the server under test")
	}
	fs.StringVar(&c.listen, "listen", "", "test clients instead: listen on this address (host:port) for the clients under test to connect to")
	fs.IntVar(&c.count, "count", 1000, "fuzz: the number of scripts (0: no bound)")
	fs.DurationVar(&c.duration, "duration", 0, "fuzz: stop after this long (0: no bound)")
	fs.Uint64Var(&c.seed, "seed", 0, "fuzz: the seed of the random scripts (0: from the clock; the run prints it)")
	fs.StringVar(&c.outdir, "outdir", "fuzz-failures", "fuzz: where each failing script is saved")
	fs.DurationVar(&c.bound, "bound", time.Second, "how long the server may take to close, or the client to close or send its close, after a script")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.files = fs.Args()
	switch {
	case c.url == "" && c.listen == "":
		return nil, errors.New("flag -w (the server's ws:// URL) or --listen (an address for clients to connect to) is required")
	case c.url != "" && c.listen != "":
		return nil, errors.New("flags -w (test a server) and --listen (test clients) exclude each other")
	case c.mode == "fuzz" && len(c.files) > 0:
		return nil, fmt.Errorf("unexpected argument %q", c.files[0])
	case c.mode == "replay" && len(c.files) == 0:
		return nil, errors.New("-m replay: name the script files to play")
	case c.count < 0 || c.duration < 0 || c.bound <= 0:
		return nil, errors.New("flags -count and -duration must not be negative, -bound must be positive")
	}
	return c, nil
}

// runFuzzMode runs -m fuzz or -m replay. Failing scripts make the error
// errCasesFailed (exit status 1).
func runFuzzMode(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFuzzFlags(args, stderr)
	if err != nil {
		return err
	}
	if c.listen != "" {
		return fuzzClients(ctx, c, stdout)
	}
	exec := func(ctx context.Context, s script.Script, bound time.Duration) (play.Result, error) {
		return play.ServerURL(ctx, c.url, s, bound)
	}
	if c.mode == "replay" {
		return replayFiles(ctx, c, exec, stdout)
	}
	return fuzzServer(ctx, c, exec, stdout)
}

// fuzzServer plays the catalog's seeds, then random mutations of them.
func fuzzServer(ctx context.Context, c *fuzzConfig, exec play.Exec, stdout io.Writer) error {
	if c.seed == 0 {
		c.seed = uint64(time.Now().UnixNano())
	}
	fmt.Fprintf(stdout, "fuzzing %s with seed %d\n", c.url, c.seed)
	seeds := script.Seeds()
	var deadline time.Time
	if c.duration > 0 {
		deadline = time.Now().Add(c.duration)
	}
	played, failed := 0, 0
	for ; c.count == 0 || played < c.count; played++ {
		if ctx.Err() != nil || !deadline.IsZero() && time.Now().After(deadline) {
			break
		}
		in := nextInput(c.seed, seeds, played)
		out, err := play.Run(ctx, in, true, c.bound, exec)
		if err != nil {
			return fmt.Errorf("script %d: %w", played+1, err)
		}
		msg := out.Report
		if msg == "" {
			continue
		}
		failed++
		file, err := save(c.outdir, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "script %d FAILED, saved to %s (wstest -m replay -w %s %s):\n%s\n\n", played+1, file, c.url, file, firstLines(msg, 3))
	}
	fmt.Fprintf(stdout, "%d scripts played, %d failed (seed %d)\n", played, failed, c.seed)
	if failed > 0 {
		return fmt.Errorf("%d of %d scripts failed: %w", failed, played, errCasesFailed)
	}
	return nil
}

// nextInput is the input of script i (from 0) of a run with seed: the
// catalog's seeds first, then a seed with one to four random changes of an
// octet, drawn from seed and i alone (script i of a seed is always the
// same).
func nextInput(seed uint64, seeds []script.Seed, i int) []byte {
	if i < len(seeds) {
		return script.Encode(seeds[i].Script)
	}
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	in := script.Encode(seeds[rng.IntN(len(seeds))].Script)
	for range 1 + rng.IntN(4) {
		switch pos := rng.IntN(len(in) + script.RecordLen); {
		case pos >= len(in):
			in = append(in, byte(rng.Uint32()))
		case rng.IntN(2) == 0:
			in[pos] ^= 1 << rng.IntN(8)
		default:
			in[pos] = byte(rng.Uint32())
		}
	}
	return in
}

// corpusHeader starts a file in go test's corpus format, which both
// wstest -m replay and go test read.
const corpusHeader = "go test fuzz v1\n"

// save writes a failing input to dir in go test's corpus format.
func save(dir string, in []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("save the failing script: %w", err)
	}
	sum := sha256.Sum256(in)
	file := filepath.Join(dir, hex.EncodeToString(sum[:8]))
	data := fmt.Sprintf("%s[]byte(%q)\n", corpusHeader, in)
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		return "", fmt.Errorf("save the failing script: %w", err)
	}
	return file, nil
}

// load reads a saved input: go test's corpus format, or raw octets.
func load(file string) ([]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read the script: %w", err)
	}
	text, ok := strings.CutPrefix(string(data), corpusHeader)
	if !ok {
		return data, nil
	}
	lit, ok := strings.CutPrefix(strings.TrimSpace(text), "[]byte(")
	lit, ok2 := strings.CutSuffix(lit, ")")
	in, err := strconv.Unquote(lit)
	if !ok || !ok2 || err != nil {
		return nil, fmt.Errorf("%s: want one []byte(\"...\") value after %q", file, strings.TrimSpace(corpusHeader))
	}
	return []byte(in), nil
}

// replayFiles plays each saved script once and prints its verdict.
func replayFiles(ctx context.Context, c *fuzzConfig, exec play.Exec, stdout io.Writer) error {
	failed := 0
	for _, file := range c.files {
		in, err := load(file)
		if err != nil {
			return err
		}
		out, err := play.Run(ctx, in, true, c.bound, exec)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		msg := out.Report
		if msg == "" {
			fmt.Fprintf(stdout, "%s: passes\n", file)
			continue
		}
		failed++
		fmt.Fprintf(stdout, "%s FAILED:\n%s\n\n", file, msg)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d scripts failed: %w", failed, len(c.files), errCasesFailed)
	}
	return nil
}

// firstLines is the start of a failure: the rules broken.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
