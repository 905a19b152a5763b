package report

import "strings"

// categoryNames names the case categories, keyed by the first number of a
// case id, as the real fuzzer's index shows them.
var categoryNames = map[string]string{
	"0":  "Handshake",
	"1":  "Framing",
	"2":  "Pings/Pongs",
	"3":  "Reserved Bits",
	"4":  "Opcodes",
	"5":  "Fragmentation",
	"6":  "UTF-8 Handling",
	"7":  "Close Handling",
	"8":  "Misc",
	"9":  "Limits/Performance",
	"10": "Misc",
	"12": "WebSocket Compression (different payloads)",
	"13": "WebSocket Compression (different parameters)",
	"H":  "Opening Handshake and Negotiation (wsfuzz's own cases)",
}

// subcategoryNames names subcategories, keyed by the first two numbers of a
// case id. A subcategory missing here has no name and gets no row of its own
// in the index (2.x, 3.x and 5.x, as in the real fuzzer).
var subcategoryNames = map[string]string{
	"H.1":  "Valid requests a server must accept",
	"H.2":  "Invalid requests a server must refuse",
	"H.3":  "permessage-deflate offers to a server",
	"H.4":  "Answers a client must fail the connection on",
	"H.5":  "Valid answers a client must take",
	"H.6":  "permessage-deflate answers to a client",
	"1.1":  "Text Messages",
	"1.2":  "Binary Messages",
	"4.1":  "Non-control Opcodes",
	"4.2":  "Control Opcodes",
	"6.1":  "Valid UTF-8 with zero payload fragments",
	"6.2":  "Valid UTF-8 unfragmented, fragmented on code-points and within code-points",
	"6.3":  "Invalid UTF-8 differently fragmented",
	"6.4":  "Fail-fast on invalid UTF-8",
	"6.5":  "Some valid UTF-8 sequences",
	"6.6":  "All prefixes of a valid UTF-8 string that contains multi-byte code points",
	"6.7":  "First possible sequence of a certain length",
	"6.8":  "First possible sequence length 5/6 (invalid codepoints)",
	"6.9":  "Last possible sequence of a certain length",
	"6.10": "Last possible sequence length 4/5/6 (invalid codepoints)",
	"6.11": "Other boundary conditions",
	"6.12": "Unexpected continuation bytes",
	"6.13": "Lonely start characters",
	"6.14": "Sequences with last continuation byte missing",
	"6.15": "Concatenation of incomplete sequences",
	"6.16": "Impossible bytes",
	"6.17": "Examples of an overlong ASCII character",
	"6.18": "Maximum overlong sequences",
	"6.19": "Overlong representation of the NUL character",
	"6.20": "Single UTF-16 surrogates",
	"6.21": "Paired UTF-16 surrogates",
	"6.22": "Non-character code points (valid UTF-8)",
	"6.23": "Unicode specials (i.e. replacement char)",
	"7.1":  "Basic close behavior (fuzzer initiated)",
	"7.3":  "Close frame structure: payload length (fuzzer initiated)",
	"7.5":  "Close frame structure: payload value (fuzzer initiated)",
	"7.7":  "Close frame structure: valid close codes (fuzzer initiated)",
	"7.9":  "Close frame structure: invalid close codes (fuzzer initiated)",
	"7.13": "Informational close information (fuzzer initiated)",
	"9.1":  "Text Message (increasing size)",
	"9.2":  "Binary Message (increasing size)",
	"9.3":  "Fragmented Text Message (fixed size, increasing fragment size)",
	"9.4":  "Fragmented Binary Message (fixed size, increasing fragment size)",
	"9.5":  "Text Message (fixed size, increasing chop size)",
	"9.6":  "Binary Text Message (fixed size, increasing chop size)",
	"9.7":  "Text Message Roundtrip Time (fixed number, increasing size)",
	"9.8":  "Binary Message Roundtrip Time (fixed number, increasing size)",
	"9.9":  "Text Message (unlimited size)",
	"9.10": "Binary Message (unlimited size)",
	"10.1": "Auto-Fragmentation",
	"12.1": "Large JSON data file (utf8, 194056 bytes)",
	"12.2": "Lena Picture, Bitmap 512x512 bw (binary, 263222 bytes)",
	"12.3": "Human readable text, Goethe's Faust I (German) (binary, 222218 bytes)",
	"12.4": "Large HTML file (utf8, 263647 bytes)",
	"12.5": "A larger PDF (binary, 1042328 bytes)",
	"13.1": "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(False, 0)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(False, 0)]",
	"13.2": "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(True, 0)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 0)]",
	"13.3": "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(False, 9)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(False, 9)]",
	"13.4": "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(False, 15)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(False, 15)]",
	"13.5": "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(True, 9)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 9)]",
	"13.6": "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(True, 15)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 15)]",
	"13.7": "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)]",
}

// category returns the category number of a case id and its name ("Misc"
// when unknown).
func category(id string) (num, name string) {
	num, _, _ = strings.Cut(id, ".")
	if name, ok := categoryNames[num]; ok {
		return num, name
	}
	return num, "Misc"
}

// subcategory returns the subcategory number of a case id ("6.2" for
// "6.2.3") and its name, "" when it has none.
func subcategory(id string) (num, name string) {
	parts := strings.SplitN(id, ".", 3)
	num = strings.Join(parts[:min(2, len(parts))], ".")
	return num, subcategoryNames[num]
}

// SectionName names the section of case id as the real fuzzer's index does:
// "Reserved Bits" for 3.4, "UTF-8 Handling" for 6.2.3.
func SectionName(id string) string {
	_, name := category(id)
	return name
}
