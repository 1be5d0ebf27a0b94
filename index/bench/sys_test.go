package bench

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestParseVmHWM(t *testing.T) {
	tests := []struct {
		name, status string
		want         float64
	}{
		{"linux", "Name:\tbench\nVmPeak:\t  900000 kB\nVmHWM:\t   204800 kB\nVmRSS:\t  100000 kB\n", 200},
		{"missing", "Name:\tbench\nVmRSS:\t  100000 kB\n", 0},
		{"other unit", "VmHWM:\t 2 MB\n", 0},
		{"garbage", "VmHWM:\t lots kB\n", 0},
		{"empty", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseVmHWM([]byte(tt.status)); got != tt.want {
				t.Errorf("parseVmHWM = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPeakRSS(t *testing.T) {
	got := peakRSSMB()
	if runtime.GOOS == "linux" && got <= 0 {
		t.Errorf("peak RSS on Linux = %v, want > 0", got)
	}
	if runtime.GOOS != "linux" && got != 0 {
		t.Errorf("peak RSS without /proc = %v, want 0", got)
	}
}

func TestDirSize(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]int{"a": 10, "sub/b": 32} {
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := dirSize(dir); got != 42 {
		t.Errorf("dirSize = %d, want 42", got)
	}
}
