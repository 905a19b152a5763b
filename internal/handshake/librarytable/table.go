package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/report"
)

// Cell is one case played against one library in one role.
type Cell struct {
	Library *Library
	Role    string // harness.RoleServer or harness.RoleClient
	Case    *cases.Case
	Result  *report.Result
	Err     error // the case could not be played
}

// Table is section H played against libraries in both roles.
type Table struct {
	Libraries []Library
	// ServerIDs and ClientIDs are the case ids of each role, in catalog
	// order; Cells holds a cell per role, id and library name.
	ServerIDs, ClientIDs []string
	Cells                map[string]map[string]map[string]*Cell // role -> id -> library -> cell
	Elapsed              time.Duration
}

// Build plays every case of section H against every library, in the roles
// it has, at most parallel cases at once.
func Build(ctx context.Context, libs []Library, parallel int) (*Table, error) {
	start := time.Now()
	t := &Table{Libraries: libs, Cells: map[string]map[string]map[string]*Cell{
		harness.RoleServer: {}, harness.RoleClient: {},
	}}
	for _, c := range cases.Extended() {
		switch c.Tests() {
		case cases.ServerPeer:
			t.ServerIDs = append(t.ServerIDs, c.ID)
		case cases.ClientPeer:
			t.ClientIDs = append(t.ClientIDs, c.ID)
		}
	}
	opts := []harness.Option{harness.Cases(cases.ExtendedPrefix + "*"), harness.Parallel(parallel)}
	type job struct {
		r    *harness.Runner
		cell *Cell
	}
	var jobs []job
	var stops []func()
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()
	for i := range libs {
		lib := &libs[i]
		var runners []*harness.Runner
		if lib.Server != nil {
			target, stop, err := lib.Server()
			if err != nil {
				return nil, fmt.Errorf("%s server: %w", lib.Name, err)
			}
			stops = append(stops, stop)
			r, err := harness.Server(lib.Name, target, opts...)
			if err != nil {
				return nil, err
			}
			runners = append(runners, r)
		}
		if lib.Client != nil {
			r, err := harness.Client(lib.Name, lib.Client, opts...)
			if err != nil {
				return nil, err
			}
			runners = append(runners, r)
		}
		for _, r := range runners {
			for _, id := range r.IDs() {
				c, _ := cases.ByID(id)
				cell := &Cell{Library: lib, Role: r.Role(), Case: c}
				if t.Cells[r.Role()][id] == nil {
					t.Cells[r.Role()][id] = map[string]*Cell{}
				}
				t.Cells[r.Role()][id][lib.Name] = cell
				jobs = append(jobs, job{r, cell})
			}
		}
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			cctx, cancel := context.WithTimeout(ctx, j.r.Limit(j.cell.Case))
			defer cancel()
			j.cell.Result, _, j.cell.Err = j.r.Play(cctx, j.cell.Case.ID, harness.Seed{})
		}()
	}
	wg.Wait()
	t.Elapsed = time.Since(start)
	return t, ctx.Err()
}

// Label is a cell's text: the behavior, and behaviorClose when that is not
// OK; UNIMPLEMENTED is written UNIMPL.
func (c *Cell) Label() string {
	if c == nil {
		return "–"
	}
	if c.Err != nil || c.Result == nil {
		return "ERROR"
	}
	b, bc := c.Result.Behavior, c.Result.BehaviorClose
	if b == report.Unimplemented {
		return "UNIMPL"
	}
	label := string(b)
	if bc != report.OK && bc != "" {
		label = fmt.Sprintf("%s, close %s", b, bc)
	}
	if c.Hidden() {
		label += "‡"
	}
	return label
}

// Hidden reports whether the cell's OK hides a break: the client must fail
// the connection, the verdict says it sent no data frame, and yet the
// fuzzer received data frames from it (RxFrameStats, by opcode). The runner
// answers such a case without a compression codec, so a client that takes
// a permessage-deflate answer and echoes a compressed frame (RSV1) is
// failed by the fuzzer's engine with 1002 before the message is recorded,
// and judged as if it had sent nothing.
func (c *Cell) Hidden() bool {
	if c == nil || c.Result == nil || c.Case.Handshake == nil ||
		c.Case.Handshake.Must != cases.FailConnection || c.Result.Behavior != report.OK {
		return false
	}
	s := c.Result.RxFrameStats
	return s[0]+s[1]+s[2] > 0
}

// Broken reports whether the cell is a break: not OK and not
// UNIMPLEMENTED, in behavior or behaviorClose, or not played at all.
func (c *Cell) Broken() bool {
	if c == nil {
		return false
	}
	if c.Err != nil || c.Result == nil {
		return true
	}
	b, bc := c.Result.Behavior, c.Result.BehaviorClose
	if b == report.Unimplemented {
		return false
	}
	return b != report.OK || (bc != report.OK && bc != "")
}

// WriteMarkdown writes the two tables and the list of breaks.
func (t *Table) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Section H against real libraries\n\n")
	b.WriteString("Produced by `go -C internal/handshake/librarytable run .`: every case of section H (the opening handshake and permessage-deflate negotiation, our own catalog) played against the echo peers of real Go WebSocket libraries. A cell is the case's behavior, and its behaviorClose when that is not OK; UNIMPL is UNIMPLEMENTED (the client made no permessage-deflate offer the case can answer); bold cells are breaks, listed below with their bytes; ‡ marks an OK that hides a break (see the last section).\n\n")
	b.WriteString("| library | module | how the peers are built |\n|---|---|---|\n")
	for _, l := range t.Libraries {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", l.Name, l.Module, mdCell(l.Setup))
	}
	b.WriteString("\n## Servers (H.1-H.3: the fuzzer sends the request)\n\n")
	t.writeGrid(&b, harness.RoleServer, t.ServerIDs)
	b.WriteString("\n## Clients (H.4-H.6: the fuzzer sends the answer)\n\n")
	t.writeGrid(&b, harness.RoleClient, t.ClientIDs)
	b.WriteString("\n## Breaks\n\n")
	n := 0
	for _, l := range t.Libraries {
		for _, role := range []string{harness.RoleServer, harness.RoleClient} {
			ids := t.ServerIDs
			if role == harness.RoleClient {
				ids = t.ClientIDs
			}
			for _, id := range ids {
				if c := t.Cells[role][id][l.Name]; c.Broken() {
					n++
					c.writeBreak(&b)
				}
			}
		}
	}
	if n == 0 {
		b.WriteString("None.\n")
	}
	b.WriteString("\n## OK verdicts that hide a break (‡)\n\n")
	b.WriteString("Cases where the client must fail the connection, judged OK (\"sent no data frame\") although the fuzzer received data frames from the client: the runner answers these cases without a compression codec, so a compressed echo (RSV1) makes the fuzzer fail the connection with 1002 before the message is recorded. The client took an answer it must refuse: these are breaks the verdict misses.\n\n")
	h := 0
	for _, l := range t.Libraries {
		for _, id := range t.ClientIDs {
			if c := t.Cells[harness.RoleClient][id][l.Name]; c.Hidden() {
				h++
				c.writeBreak(&b)
			}
		}
	}
	if h == 0 {
		b.WriteString("None.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (t *Table) writeGrid(b *strings.Builder, role string, ids []string) {
	b.WriteString("| case | what |")
	for _, l := range t.Libraries {
		fmt.Fprintf(b, " %s |", l.Name)
	}
	b.WriteString("\n|---|---|")
	for range t.Libraries {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, id := range ids {
		c, _ := cases.ByID(id)
		fmt.Fprintf(b, "| %s | %s |", id, mdCell(what(c)))
		for _, l := range t.Libraries {
			label := t.Cells[role][id][l.Name].Label()
			if t.Cells[role][id][l.Name].Broken() {
				label = "**" + label + "**"
			}
			fmt.Fprintf(b, " %s |", label)
		}
		b.WriteString("\n")
	}
}

// what is a case's description without the words every case of its
// section starts with.
func what(c *cases.Case) string {
	d := c.Description
	for _, p := range []string{
		"A valid opening handshake with ", "An opening handshake request with ",
		"An opening handshake offering ", "The fuzzer answers the client's opening handshake with ",
	} {
		d = strings.TrimPrefix(d, p)
	}
	return strings.TrimSuffix(d, ".")
}

func (c *Cell) writeBreak(b *strings.Builder) {
	fmt.Fprintf(b, "### %s %s, %s\n\n", c.Library.Name, c.Role, c.Case.ID)
	fmt.Fprintf(b, "- library: %s (%s)\n", c.Library.Name, c.Library.Module)
	fmt.Fprintf(b, "- case: %s %s\n", c.Case.ID, c.Case.Description)
	if c.Case.Handshake != nil {
		fmt.Fprintf(b, "- rule: %s\n", c.Case.Handshake.Rule)
	}
	if c.Err != nil || c.Result == nil {
		fmt.Fprintf(b, "- not played: %v\n\n", c.Err)
		return
	}
	r := c.Result
	fmt.Fprintf(b, "- verdict: behavior %s, behaviorClose %s\n", r.Behavior, r.BehaviorClose)
	fmt.Fprintf(b, "- result: %s\n", r.Result)
	fmt.Fprintf(b, "- resultClose: %s\n", r.ResultClose)
	if c.Hidden() {
		fmt.Fprintf(b, "- data frames received from the client, by opcode: %v; the fuzzer closed with %s\n", map[int]int(r.RxFrameStats), closeOf(r.LocalCloseCode, r.LocalCloseReason))
	}
	b.WriteString("\n")
	if c.Role == harness.RoleServer {
		writeBytes(b, "What the fuzzer sent (the request):", r.HTTPRequest)
		writeBytes(b, "What the server answered:", r.HTTPResponse)
	} else {
		writeBytes(b, "What the fuzzer answered:", r.HTTPResponse)
		writeBytes(b, "The client's request it answered:", r.HTTPRequest)
	}
}

// writeBytes writes a head in a fenced block with CR and LF visible.
func writeBytes(b *strings.Builder, title, raw string) {
	fmt.Fprintf(b, "%s\n\n```\n", title)
	if raw == "" {
		b.WriteString("(nothing)\n")
	}
	var line strings.Builder
	for i := 0; i < len(raw); i++ {
		switch ch := raw[i]; {
		case ch == '\r':
			line.WriteString(`\r`)
		case ch == '\n':
			line.WriteString(`\n`)
			b.WriteString(line.String())
			b.WriteString("\n")
			line.Reset()
		case ch == '\t':
			line.WriteString(`\t`)
		case ch < 0x20 || ch >= 0x7f:
			fmt.Fprintf(&line, `\x%02x`, ch)
		default:
			line.WriteByte(ch)
		}
	}
	if line.Len() > 0 {
		b.WriteString(line.String())
		b.WriteString("\n")
	}
	b.WriteString("```\n\n")
}

func closeOf(code *int, reason *string) string {
	if code == nil {
		return "no close frame"
	}
	if reason == nil || *reason == "" {
		return fmt.Sprintf("code %d", *code)
	}
	return fmt.Sprintf("code %d (%q)", *code, *reason)
}

func mdCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
