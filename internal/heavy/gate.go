package heavy

import (
	"context"
	"fmt"
)

// Gate bounds the cases of one run (a Runner, a parallel fakeclient run)
// and enters each into the process's bound first.
type Gate struct{ slots chan struct{} }

// NewGate is a gate for n cases at once.
func NewGate(n int) *Gate { return &Gate{slots: make(chan struct{}, n)} }

// Enter waits until case id may play, by the process's bound (Enter) and
// then the gate's, and returns the function that gives both back, or an
// error when ctx ends first.
func (g *Gate) Enter(ctx context.Context, id string) (func(), error) {
	leaveProcess, err := Enter(ctx, id)
	if err != nil {
		return nil, err
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		leaveProcess()
		return nil, fmt.Errorf("waiting for a slot among %d cases: %w", cap(g.slots), context.Cause(ctx))
	}
	return func() {
		<-g.slots
		leaveProcess()
	}, nil
}
