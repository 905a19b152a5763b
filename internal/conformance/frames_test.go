package conformance

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wsfuzz/autobahn/internal/chop"
	"github.com/wsfuzz/autobahn/report"
)

// oracleDir holds the real fuzzer's per-case reports; they are not part of
// the module, so the frame comparison is skipped where it is absent.
const oracleDir = "../../../shared/oracle"

// realFrames reads what the real fuzzer sent and received, frames by
// opcode, in one case of one run; ok is false when the report is absent.
func realFrames(run, agent, id string) (tx, rx chop.Stats, ok bool, err error) {
	name := fmt.Sprintf("%s_case_%s.json", agent, strings.ReplaceAll(id, ".", "_"))
	raw, err := os.ReadFile(filepath.Join(oracleDir, run, name))
	if os.IsNotExist(err) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	var r struct {
		Tx map[string]int `json:"txFrameStats"`
		Rx map[string]int `json:"rxFrameStats"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, nil, false, fmt.Errorf("%s: %w", name, err)
	}
	conv := func(m map[string]int) (chop.Stats, error) {
		out := chop.Stats{}
		for k, v := range m {
			op, err := strconv.Atoi(k)
			if err != nil {
				return nil, fmt.Errorf("%s: opcode %q: %w", name, k, err)
			}
			out[op] = v
		}
		return out, nil
	}
	if tx, err = conv(r.Tx); err != nil {
		return nil, nil, false, err
	}
	rx, err = conv(r.Rx)
	return tx, rx, true, err
}

// sameFrames compares our frame counts with the real fuzzer's in the same
// case: tx says how what we sent differs, rx how what we received does
// (both empty when the same, or when the real fuzzer's report is absent).
func sameFrames(run string, r *report.Result) (tx, rx string, err error) {
	agent := run[strings.IndexByte(run, '-')+1:]
	realTx, realRx, ok, err := realFrames(run, agent, r.ID)
	if err != nil || !ok {
		return "", "", err
	}
	if !maps.Equal(realTx, r.TxFrameStats) {
		tx = fmt.Sprintf("sent frames %v, real fuzzer %v", r.TxFrameStats, realTx)
	}
	if !maps.Equal(realRx, r.RxFrameStats) {
		rx = fmt.Sprintf("received frames %v, real fuzzer %v", r.RxFrameStats, realRx)
	}
	return tx, rx, nil
}
