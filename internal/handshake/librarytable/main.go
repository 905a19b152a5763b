// Command librarytable plays the cases of section H (the opening handshake
// and permessage-deflate negotiation, our own catalog) against the echo
// peers of real Go WebSocket libraries, as servers (H.1-H.3) and as clients
// (H.4-H.6), and writes the results table in markdown: one grid per role,
// then every break with its RFC rule, the verdict's reasons and the exact
// bytes of the handshake.
//
//	go -C internal/handshake/librarytable run . [-o FILE] [-lib gorilla,coder] [-parallel 8]
//
// It is a module of its own so that the libraries it measures stay out of
// the main module's go.mod; the main module comes from ../../.. through a
// replace directive.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
)

func main() {
	out := flag.String("o", "", "write the markdown to this file (default: standard output)")
	only := flag.String("lib", "", "comma-separated library names to play (default: all: gorilla,coder,gobwas,gws,x/net,nbio)")
	parallel := flag.Int("parallel", 8, "cases played at the same time")
	flag.Parse()

	libs, err := pick(Libraries(), *only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "librarytable:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	t, err := Build(ctx, libs, max(*parallel, 1))
	if err != nil {
		fmt.Fprintln(os.Stderr, "librarytable:", err)
		os.Exit(1)
	}
	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "librarytable:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	if err := t.WriteMarkdown(w); err != nil {
		fmt.Fprintln(os.Stderr, "librarytable:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "librarytable: %d libraries, %d server and %d client cases, played in %v\n",
		len(libs), len(t.ServerIDs), len(t.ClientIDs), t.Elapsed.Round(1e7))
}

// pick keeps the libraries named in the comma-separated list, all when it
// is empty.
func pick(all []Library, list string) ([]Library, error) {
	if list == "" {
		return all, nil
	}
	var out []Library
	for _, name := range strings.Split(list, ",") {
		i := slices.IndexFunc(all, func(l Library) bool { return l.Name == strings.TrimSpace(name) })
		if i < 0 {
			return nil, fmt.Errorf("no library %q", name)
		}
		out = append(out, all[i])
	}
	return out, nil
}
