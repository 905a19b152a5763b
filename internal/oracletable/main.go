// Command oracletable derives the compact verdict table in testdata/oracle.tsv
// from the real fuzzer's result folders (../shared/oracle): one line per run
// and case with behavior, behaviorClose and whether the real fuzzer itself
// was flaky on that case.
//
//	go run ./internal/oracletable -oracle ../shared/oracle -out testdata/oracle.tsv
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wsfuzz/autobahn/cases"
)

func main() {
	dir := flag.String("oracle", "../shared/oracle", "folder of oracle runs")
	out := flag.String("out", "testdata/oracle.tsv", "table to write")
	flag.Parse()
	runs, err := filepath.Glob(filepath.Join(*dir, "fuzzing*"))
	if err != nil || len(runs) == 0 {
		log.Fatalf("oracletable: no runs under %s", *dir)
	}
	var b strings.Builder
	b.WriteString("# run\tcase\tbehavior\tbehaviorClose\tflaky (derived from the real fuzzer's results; regenerate with go run ./internal/oracletable)\n")
	for _, run := range runs {
		flaky := map[string]bool{}
		if f, err := os.Open(filepath.Join(run, "FLAKY")); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if id := strings.TrimSpace(sc.Text()); id != "" {
					flaky[id] = true
				}
			}
			f.Close()
		}
		raw, err := os.ReadFile(filepath.Join(run, "index.json"))
		if err != nil {
			log.Fatalf("oracletable: %v", err)
		}
		var idx map[string]map[string]struct{ Behavior, BehaviorClose string }
		if err := json.Unmarshal(raw, &idx); err != nil {
			log.Fatalf("oracletable: %s: %v", run, err)
		}
		for _, byID := range idx {
			ids := make([]string, 0, len(byID))
			for id := range byID {
				ids = append(ids, id)
			}
			sort.Slice(ids, func(i, j int) bool { return cases.CompareIDs(ids[i], ids[j]) < 0 })
			for _, id := range ids {
				v := byID[id]
				fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%v\n", filepath.Base(run), id, v.Behavior, v.BehaviorClose, flaky[id])
			}
		}
	}
	if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		log.Fatalf("oracletable: %v", err)
	}
}
