package container_test

import (
	"context"
	"fmt"
	"time"

	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/container"
)

// Register gorilla-style echo peers with the real fuzzer: serverURL is set
// by a BeforeSuite that starts the server, echo is the client function.
func ExampleServer() {
	var serverURL string
	_ = container.Server(container.Config{Agent: "mylib", ExcludeCases: []string{"9.*", "12.*", "13.*"}},
		func() string { return serverURL }, assertions.Strict)
}

func ExampleFuzzingServer() {
	echo := func(ctx context.Context, url string) error { return nil } // your client
	rep, err := container.FuzzingServer(context.Background(), container.Config{
		Agent: "mylib", Cases: []string{"1.*", "2.*"}, ReportDir: "reports/clients", Timeout: 10 * time.Minute,
	}, echo)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Results {
		fmt.Println(r.ID, r.Behavior, r.BehaviorClose)
	}
}
