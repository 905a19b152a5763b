package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wsfuzz/autobahn/cases"
)

// selectCases resolves "cases" and "exclude-cases" as the real fuzzer does
// (see cases.Match), with two checks it lacks: a pattern of "cases" that
// selects nothing is an error naming it (the real one runs nothing for it,
// or fails later), and so is a selection that leaves no case to run. An
// exclusion that selects nothing, such as "", excludes nothing.
func selectCases(include, exclude []string) ([]string, error) {
	in, err := cases.MatchAll(include, true)
	if err != nil {
		return nil, fmt.Errorf(`spec: field "cases": %w`, err)
	}
	ex, err := cases.MatchAll(exclude, false)
	if err != nil {
		return nil, fmt.Errorf(`spec: field "exclude-cases": %w`, err)
	}
	ids := cases.Subtract(in, ex)
	if len(ids) == 0 {
		return nil, errors.New(`spec: fields "cases" and "exclude-cases" leave no case to run`)
	}
	return ids, nil
}

// topObject decodes the spec file's top-level object; a syntax error names
// its line and column.
func topObject(b []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	err := json.Unmarshal(b, &m)
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		line, col := position(b, syn.Offset)
		return nil, fmt.Errorf("spec: line %d, column %d: %w", line, col, err)
	case err != nil || m == nil:
		return nil, errors.New("spec: want a JSON object")
	}
	return m, nil
}

// position is the line and column (both from 1, the column in bytes) of the
// byte before offset, where encoding/json stops at a syntax error.
func position(b []byte, offset int64) (line, col int) {
	end := max(min(int(offset), len(b)), 1) - 1
	before := b[:end]
	line = bytes.Count(before, []byte("\n")) + 1
	col = end - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
