package index

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"

	"github.com/kindred-search/kindred/embed"
)

// formatFile is the content of DIR/FORMAT:
//
//	{
//	  "format": 1,
//	  "id": "5f0c1e9a7b3d4c2e8a6f0b1d2c3e4f5a",
//	  "embed": {"Dim": 1048576, "TopK": 256, "NoBigrams": false},
//	  "crc32": 1234567890
//	}
//
// id is the index's identity, drawn at random when the index is created and written into vectors.bin
// too, so that a vectors file of another index is never taken for this one's. crc32 is the CRC-32
// (IEEE) of the file as written without it, so that an edited or damaged FORMAT (the embed options are
// fixed when an index is created) is refused instead of silently mismatching the vectors. A FORMAT
// written before id and crc32 existed is accepted, and given both the next time the index is opened
// for writing.
type formatFile struct {
	Format int           `json:"format"`
	ID     string        `json:"id,omitempty"`
	Embed  embed.Options `json:"embed"`
	CRC    uint32        `json:"crc32,omitempty"`
}

// newIdentity draws an index identity: 16 random bytes, in hex.
func newIdentity() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// identityBytes is the identity as the 16 bytes vectors.bin holds; zero for an index without one.
func identityBytes(id string) (b [16]byte) {
	if d, err := hex.DecodeString(id); err == nil && len(d) == 16 {
		copy(b[:], d)
	}
	return b
}

// checksum is the CRC-32 of ff's content without its checksum. It covers the content, not the
// bytes: a FORMAT re-indented by hand still matches, one with another option does not.
func (ff formatFile) checksum() uint32 {
	ff.CRC = 0
	b, _ := json.Marshal(ff)
	return crc32.ChecksumIEEE(b)
}

// encode is the file's content, its checksum included.
func (ff formatFile) encode() []byte {
	ff.CRC = ff.checksum()
	b, _ := json.MarshalIndent(ff, "", "  ")
	return append(b, '\n')
}

// decodeFormat reads a FORMAT file, checking its checksum when it has one.
func decodeFormat(b []byte) (formatFile, error) {
	var ff formatFile
	if err := json.Unmarshal(b, &ff); err != nil {
		return ff, err
	}
	// Another version's FORMAT is for that version to check; the caller refuses it by its number.
	if ff.Format == FormatVersion && ff.CRC != 0 && ff.CRC != ff.checksum() {
		return ff, errors.New("the file does not match its checksum: it was edited or damaged (the embed options are fixed when an index is created)")
	}
	return ff, nil
}

// readOrCreateFormat reads DIR/FORMAT, or creates it with a new identity when dir holds no index. It
// reports whether the index is being created. With Options.Rebuild a missing, unreadable or edited
// FORMAT is written afresh (keeping what can be read of it, else the default embed options), since
// everything it governs is rebuilt; without it, such a FORMAT is refused with ErrDamaged.
func readOrCreateFormat(dir string, opts Options) (formatFile, bool, error) {
	path := filepath.Join(dir, formatName)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		_, serr := os.Stat(filepath.Join(dir, bleveDir))
		switch {
		case serr == nil && opts.Rebuild && !opts.ReadOnly:
			return writeFormat(path, formatFile{Format: FormatVersion, ID: newIdentity(), Embed: opts.Embed}, false)
		case serr == nil:
			return formatFile{}, false, fmt.Errorf("%w: %s is missing (bleve/ is there): run `kindred index --rebuild --data %s` to write it afresh with the default embed options and rebuild the vectors", ErrDamaged, path, dir)
		case opts.ReadOnly:
			return formatFile{}, false, fmt.Errorf("open index: %s holds no index", dir)
		}
		return writeFormat(path, formatFile{Format: FormatVersion, ID: newIdentity(), Embed: opts.Embed}, true)
	}
	if err != nil {
		return formatFile{}, false, fmt.Errorf("open index: %w", err)
	}
	ff, derr := decodeFormat(b)
	if derr == nil && ff.Format != FormatVersion {
		return ff, false, fmt.Errorf("%w: %s was written in format %d, this Kindred reads format %d; re-index the papers into a new directory", ErrVersion, dir, ff.Format, FormatVersion)
	}
	if derr == nil {
		if _, err := embed.New(ff.Embed); err != nil {
			derr = err
		}
	}
	if derr != nil {
		if !opts.Rebuild || opts.ReadOnly {
			return ff, false, fmt.Errorf("%w: %s: %v; restore it, or run `kindred index --rebuild --data %s` to rebuild the vectors with the options it holds now", ErrDamaged, path, derr, dir)
		}
		// Rebuilding: what the file says now becomes the truth, or the defaults when it says nothing usable.
		if _, err := embed.New(ff.Embed); ff.Format != FormatVersion || err != nil {
			ff.Format, ff.Embed = FormatVersion, opts.Embed
		}
		if identityBytes(ff.ID) == ([16]byte{}) {
			ff.ID = newIdentity()
		}
		return writeFormat(path, ff, false)
	}
	if ff.CRC == 0 && !opts.ReadOnly {
		// Written before identities and checksums: give it both.
		if ff.ID == "" {
			ff.ID = newIdentity()
		}
		return writeFormat(path, ff, false)
	}
	return ff, false, nil
}

func writeFormat(path string, ff formatFile, created bool) (formatFile, bool, error) {
	b := ff.encode()
	if err := writeFileAtomic(path, b); err != nil {
		if isNoSpace(err) {
			err = fmt.Errorf("%w: %v", ErrNoSpace, err)
		}
		return ff, false, fmt.Errorf("write %s: %w", path, err)
	}
	ff.CRC = ff.checksum()
	return ff, created, nil
}
