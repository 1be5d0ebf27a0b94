package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	"github.com/kindred-search/kindred/index"
	"github.com/kindred-search/kindred/index/paper"
	"github.com/kindred-search/kindred/index/reader"
	"github.com/kindred-search/kindred/index/sample"
)

// Files the commands keep in the data directory beside the index (which ignores them):
//
//	DIR/SAMPLE   written by `kindred serve` when it loaded the built-in sample into an empty
//	             directory: {"corpus": "daily-papers.txt", "ids": [...]}. The web UI says "built-in
//	             sample" while it is there; `kindred index` deletes those papers and the file before
//	             it adds the user's own, so the two never mix silently.
//	DIR/SERVER   written by `kindred serve` while it holds the directory: {"url": ..., "pid": ...};
//	             removed on shutdown. `kindred search` and `kindred related` ask that server's API
//	             when the index is locked by it.
const (
	sampleFileName = "SAMPLE"
	serverFileName = "SERVER"
)

// sampleFile is DIR/SAMPLE.
type sampleFile struct {
	Corpus string   `json:"corpus"`
	IDs    []string `json:"ids"`
}

// writeSampleFile records the IDs of the built-in sample's papers, as the loader gave them.
func writeSampleFile(ctx context.Context, dir string) error {
	opts := reader.DefaultOptions()
	opts.Year = sample.Year
	sf := sampleFile{Corpus: sample.Name}
	err := reader.Read(ctx, sample.Open(), sample.Name, opts, func(p paper.Paper) error {
		sf.IDs = append(sf.IDs, p.ID)
		return nil
	}, func(reader.Rejection) {})
	if err != nil {
		return fmt.Errorf("list the sample's papers: %w", err)
	}
	b, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, sampleFileName), append(b, '\n'))
}

// readSampleFile reads DIR/SAMPLE; ok is false when there is none.
func readSampleFile(dir string) (sf sampleFile, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, sampleFileName))
	if errors.Is(err, os.ErrNotExist) {
		return sf, false, nil
	}
	if err != nil {
		return sf, false, err
	}
	if err := json.Unmarshal(b, &sf); err != nil {
		return sf, false, fmt.Errorf("%s: %w", filepath.Join(dir, sampleFileName), err)
	}
	return sf, true, nil
}

// holdsSample reports whether dir holds the built-in sample that serve loaded.
func holdsSample(dir string) bool {
	_, ok, _ := readSampleFile(dir)
	return ok
}

// removeSample deletes the built-in sample's papers from ix, and DIR/SAMPLE, when serve loaded the
// sample into it, and says so on w. Papers added since (through the API, or a later index of the
// same IDs) are kept unless they have a sample paper's ID.
func removeSample(ctx context.Context, ix *index.Index, dir string, w io.Writer) error {
	sf, ok, err := readSampleFile(dir)
	if err != nil || !ok {
		return err
	}
	n, err := ix.Delete(ctx, sf.IDs...)
	if err != nil {
		return fmt.Errorf("remove the built-in sample: %w", err)
	}
	if err := os.Remove(filepath.Join(dir, sampleFileName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	fmt.Fprintf(w, "%s held the built-in sample corpus, which kindred serve loads into an empty directory: removed its %d papers before adding yours\n", dir, n)
	return nil
}

// serverFile is DIR/SERVER.
type serverFile struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
}

// writeServerFile records the address the server listens on, as a URL a client on this machine can
// use, and returns a func that removes the file again if it is still this process's.
func writeServerFile(dir string, addr net.Addr) (remove func(), err error) {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1" // listening on every interface: the loopback one is among them
	}
	sf := serverFile{URL: "http://" + net.JoinHostPort(host, port) + "/", PID: os.Getpid()}
	b, err := json.Marshal(sf)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, serverFileName)
	if err := writeFileAtomic(path, append(b, '\n')); err != nil {
		return nil, err
	}
	return func() {
		if cur, err := readServerFile(dir); err == nil && cur.PID == sf.PID {
			os.Remove(path)
		}
	}, nil
}

// readServerFile reads DIR/SERVER.
func readServerFile(dir string) (serverFile, error) {
	var sf serverFile
	b, err := os.ReadFile(filepath.Join(dir, serverFileName))
	if err != nil {
		return sf, err
	}
	if err := json.Unmarshal(b, &sf); err != nil || sf.URL == "" {
		return sf, fmt.Errorf("%s is not a server file", filepath.Join(dir, serverFileName))
	}
	return sf, nil
}

// lockedHint adds to an ErrLocked error which server holds the directory, when DIR/SERVER says.
func lockedHint(dir string, err error) error {
	if !errors.Is(err, index.ErrLocked) {
		return err
	}
	if sf, ferr := readServerFile(dir); ferr == nil {
		return fmt.Errorf("%w: kindred serve (pid %d, %s) holds it; stop it first, or add papers through its API (POST /api/papers)", err, sf.PID, sf.URL)
	}
	return err
}

// writeFileAtomic writes data to path through a temporary file in the same directory (write, fsync,
// rename), so a reader sees the old file or the new one. The file is readable by its owner only.
func writeFileAtomic(path string, data []byte) error {
	return writeAtomic(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomic writes path through a temporary file in its directory: write, chmod to mode, fsync,
// rename over path. An error leaves path as it was and no temporary file behind.
func writeAtomic(path string, mode os.FileMode, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Chmod(mode); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
