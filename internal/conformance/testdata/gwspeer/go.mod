module github.com/wsfuzz/autobahn/internal/conformance/testdata/gwspeer

go 1.26.8

require github.com/lxzan/gws v1.7.0

require github.com/klauspost/compress v1.16.5 // indirect
