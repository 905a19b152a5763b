package suite

import (
	"net/http"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// gorilla/websocket echo peers with their defaults, as in example_test.go.
var (
	gorillaClient = echopeer.GorillaClient
	gorillaServer = http.HandlerFunc(echopeer.GorillaServer)
)
