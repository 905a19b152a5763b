// Package deflate is the permessage-deflate extension (RFC 7692) as the real
// fuzzer (AutobahnPython 0.10.9) negotiates and runs it: the parsing of
// Sec-WebSocket-Extensions, client offers and server responses with their
// checks and error texts, the extension strings it sends, and the per-message
// compressor and decompressor with or without context takeover and with
// window sizes below 2^15.
package deflate

import "strings"

// Name is the extension token of permessage-deflate.
const Name = "permessage-deflate"

// Param is one extension parameter value. A parameter given without "=" has
// no value (the real fuzzer represents it as True).
type Param struct {
	Value    string
	HasValue bool
}

// String is the value as the real fuzzer prints it in error texts.
func (p Param) String() string {
	if !p.HasValue {
		return "True"
	}
	return p.Value
}

// Extension is one element of a Sec-WebSocket-Extensions header: a lower-case
// name and its parameters in order of first appearance, each with every value
// it was given.
type Extension struct {
	Name   string
	Keys   []string
	Params map[string][]Param
}

// ParseExtensions splits a Sec-WebSocket-Extensions value the way the real
// fuzzer does: elements by ",", parameters by ";", values after the first
// "=" (later "=" kept), names and keys lower-cased, one pair of surrounding
// double quotes removed from values. Empty elements are skipped.
func ParseExtensions(header string) []Extension {
	var out []Extension
	for _, e := range strings.Split(header, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		parts := strings.Split(e, ";")
		ext := Extension{Name: strings.ToLower(strings.TrimSpace(parts[0])), Params: map[string][]Param{}}
		for _, p := range parts[1:] {
			kv := strings.Split(p, "=")
			for i := range kv {
				kv[i] = strings.TrimSpace(kv[i])
			}
			key := strings.ToLower(kv[0])
			var v Param
			if len(kv) > 1 {
				v = Param{Value: unquote(strings.Join(kv[1:], "=")), HasValue: true}
			}
			if _, seen := ext.Params[key]; !seen {
				ext.Keys = append(ext.Keys, key)
			}
			ext.Params[key] = append(ext.Params[key], v)
		}
		out = append(out, ext)
	}
	return out
}

// unquote drops one leading and one trailing double quote, independently.
func unquote(s string) string {
	s = strings.TrimPrefix(s, `"`)
	return strings.TrimSuffix(s, `"`)
}
