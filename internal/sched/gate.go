package sched

import (
	"context"
	"fmt"
	"sync"
)

// Gate bounds the cases of one run (a harness Runner, a parallel fakeclient
// run) and enters each into a Limiter first.
type Gate struct {
	l     *Limiter
	slots chan struct{}
}

// NewGate is a gate for n cases at once within l (Default when nil).
func NewGate(l *Limiter, n int) *Gate {
	if l == nil {
		l = Default
	}
	return &Gate{l: l, slots: make(chan struct{}, n)}
}

// Enter waits until a case of the kind may play, by the limiter and then by
// the gate, and returns its ticket and the function that ends it, or an
// error when ctx ends first. The function gives the slot back once, however
// often it is called.
func (g *Gate) Enter(ctx context.Context, heavy bool) (*Ticket, func(), error) {
	t, err := g.l.Enter(ctx, heavy)
	if err != nil {
		return nil, nil, err
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		t.Leave()
		return nil, nil, fmt.Errorf("waiting for a slot among %d cases: %w", cap(g.slots), context.Cause(ctx))
	}
	return t, sync.OnceFunc(func() {
		<-g.slots
		t.Leave()
	}), nil
}
