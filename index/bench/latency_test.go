package bench

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func msList(ms ...int) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m) * time.Millisecond
	}
	return out
}

// seq is 1..n milliseconds, shuffled by a fixed stride so that Percentile has to sort.
func seq(n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration((i*7)%n+1) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	// Nearest rank: the value at 1-based rank ceil(p/100 * n) of the sorted list.
	tests := []struct {
		name string
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{"none", nil, 50, 0},
		{"one p50", msList(7), 50, 7 * time.Millisecond},
		{"one p99", msList(7), 99, 7 * time.Millisecond},
		{"unsorted p50 of 3: rank 2", msList(30, 10, 20), 50, 20 * time.Millisecond},
		{"p50 of 4: rank 2, no interpolation", msList(4, 1, 3, 2), 50, 2 * time.Millisecond},
		{"p50 of 5: rank 3", msList(5, 4, 3, 2, 1), 50, 3 * time.Millisecond},
		{"p99 of 10: rank 10", seq(10), 99, 10 * time.Millisecond},
		{"p90 of 10: rank 9", seq(10), 90, 9 * time.Millisecond},
		{"p10 of 10: rank 1", seq(10), 10, 1 * time.Millisecond},
		{"p99 of 100: rank 99", seq(100), 99, 99 * time.Millisecond},
		{"p99 of 101: rank 100", seq(101), 99, 100 * time.Millisecond},
		{"p99 of 500: rank 495", seq(500), 99, 495 * time.Millisecond},
		{"p100 is the max", seq(500), 100, 500 * time.Millisecond},
		{"p0 is the min", seq(500), 0, 1 * time.Millisecond},
		{"ties", msList(2, 2, 2, 9), 50, 2 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.ds)
			if got := Percentile(tt.ds, tt.p); got != tt.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tt.ds, tt.p, got, tt.want)
			}
			if !slices.Equal(in, tt.ds) {
				t.Errorf("Percentile reordered its input")
			}
		})
	}
}

func TestSummarise(t *testing.T) {
	got := summarise(msList(3, 1, 2, 4), 1, fmt.Errorf("boom"), 500*time.Millisecond)
	want := Latency{P50: 2, P99: 4, Max: 4, QPS: 10, Queries: 5, Errors: 1, FirstError: "boom"}
	if got != want {
		t.Errorf("summarise = %+v, want %+v", got, want)
	}
}

func ExamplePercentile() {
	ds := []time.Duration{12 * time.Millisecond, 3 * time.Millisecond, 5 * time.Millisecond, 4 * time.Millisecond}
	fmt.Println(Percentile(ds, 50), Percentile(ds, 99))
	// Output: 4ms 12ms
}
