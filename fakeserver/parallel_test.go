package fakeserver

import (
	"context"
	"sync"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// RunCase is safe for concurrent use: cases run at once against one server
// give the verdicts they give one after the other.
func TestRunCaseConcurrently(t *testing.T) {
	ids := []string{"1.1.1", "1.1.2", "2.10", "3.1", "5.19", "5.20", "6.4.1", "6.4.2", "7.1.1", "9.1.1", "10.1.1"}
	srv, err := New(Config{Cases: ids})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	serial := map[string]string{}
	for _, id := range ids {
		res, err := srv.RunCase(context.Background(), "g", id, echopeer.GorillaClient)
		if err != nil {
			t.Fatal(err)
		}
		serial[id] = string(res.Behavior + "/" + res.BehaviorClose)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			res, err := srv.RunCase(context.Background(), "g2", id, echopeer.GorillaClient)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
				return
			}
			if v := string(res.Behavior + "/" + res.BehaviorClose); v != serial[id] || res.ID != id {
				t.Errorf("case %s (result of %s): %s concurrently, %s serially", id, res.ID, v, serial[id])
			}
		})
	}
	wg.Wait()
}
