package index

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestConcurrently(t *testing.T) {
	errA, errB := errors.New("a"), errors.New("b")
	ok := func() error { return nil }
	fail := func(err error) func() error { return func() error { return err } }
	cases := []struct {
		name  string
		parts []func() error
		want  error
	}{
		{"none", nil, nil},
		{"all nil", []func() error{nil, nil}, nil},
		{"one", []func() error{ok}, nil},
		{"nil first", []func() error{nil, fail(errB)}, errB},
		{"first error in argument order", []func() error{ok, fail(errA), fail(errB)}, errA},
		{"caller's part fails", []func() error{fail(errB), ok, fail(errA)}, errB},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := concurrently(c.parts...); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Errorf("concurrently = %v, want %v", err, c.want)
			}
		})
	}
	t.Run("every part runs", func(t *testing.T) {
		var n atomic.Int32
		inc := func() error { n.Add(1); return nil }
		if err := concurrently(inc, nil, inc, inc); err != nil || n.Load() != 3 {
			t.Errorf("ran %d parts (err %v), want 3", n.Load(), err)
		}
	})
	t.Run("a panic elsewhere is raised on the caller", func(t *testing.T) {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		concurrently(ok, func() error { panic("boom") })
		t.Error("no panic")
	})
}

// TestConcurrentlyWaitsOnPanic checks that a panic on the caller's part is raised only after the
// other parts have ended: they read the index under the caller's lock.
func TestConcurrentlyWaitsOnPanic(t *testing.T) {
	var ended atomic.Bool
	release := make(chan struct{})
	defer func() {
		if r := recover(); r != "first" {
			t.Errorf("recovered %v, want first", r)
		}
		if !ended.Load() {
			t.Error("the panic was raised before the other part ended")
		}
	}()
	concurrently(func() error {
		close(release)
		panic("first")
	}, func() error {
		<-release
		time.Sleep(10 * time.Millisecond)
		ended.Store(true)
		return nil
	})
}
