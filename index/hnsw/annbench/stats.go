package annbench

import (
	"slices"
	"time"

	"github.com/kindred-search/kindred/index/vector"
)

// percentile returns the p-th percentile (0..100) of ds in milliseconds, nearest rank.
func percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	i = min(max(i, 0), len(s)-1)
	return float64(s[i]) / float64(time.Millisecond)
}

// meanRecall averages vector.Recall over the queries whose exact answer is not empty.
func meanRecall(want, got [][]vector.Hit) float64 {
	var sum float64
	n := 0
	for i := range want {
		if len(want[i]) == 0 {
			continue
		}
		sum += vector.Recall(want[i], got[i])
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}
