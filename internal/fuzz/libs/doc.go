// Package libs holds, in its tests, fuzz targets for the echo peers of real
// Go WebSocket libraries (gorilla, coder, gws; both roles), run by hand:
//
//	AUTOBAHN_FUZZ_LIB=gws-server go test ./internal/fuzz/libs -run '^$' -fuzz FuzzLib -fuzztime 5m -fuzzminimizetime 1s
//
// Without $AUTOBAHN_FUZZ_LIB the target skips. The peers check UTF-8 where
// the library leaves it to the application, as the catalog's reference
// runs do not: a missing check is a known finding, not a new one.
package libs
