package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// TestFormatUpgrade: a FORMAT written before identities and checksums is accepted and given both on
// the next writable open; a version-3 vectors file (no identity) is read as it is and saved as
// version 4 with the index's identity.
func TestFormatUpgrade(t *testing.T) {
	dir := t.TempDir()
	ix := openTest(t, dir)
	if _, err := ix.Upsert(t.Context(), testPapers()...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// Make the files what an older Kindred wrote.
	path := filepath.Join(dir, formatName)
	old, _ := json.Marshal(map[string]any{"format": FormatVersion, "embed": DefaultOptions().Embed})
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	vpath := filepath.Join(dir, vectorsName)
	b, err := os.ReadFile(vpath)
	if err != nil {
		t.Fatal(err)
	}
	v3 := append([]byte(nil), b[:20]...)
	binary.LittleEndian.PutUint32(v3[4:], 3)
	v3 = append(v3, b[36:]...) // without the identity: the header CRC no longer matches, fix it below
	v3 = fixHeaderCRC(t, v3, 24)
	if err := os.WriteFile(vpath, v3, 0o644); err != nil {
		t.Fatal(err)
	}

	ix = openTest(t, dir)
	sameIDs(t, ix)
	ff, err := decodeFormat(mustRead(t, path))
	if err != nil || ff.CRC == 0 || identityBytes(ff.ID) == ([16]byte{}) {
		t.Fatalf("FORMAT not upgraded: %+v, %v", ff, err)
	}
	if _, err := ix.Upsert(t.Context(), wordPapers("up", 2, 1)...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	b = mustRead(t, vpath)
	if v := binary.LittleEndian.Uint32(b[4:]); v != vectorsVersion {
		t.Fatalf("vectors file saved as version %d, want %d", v, vectorsVersion)
	}
	if id := identityBytes(ff.ID); string(b[20:36]) != string(id[:]) {
		t.Errorf("vectors file identity %x, FORMAT's %x", b[20:36], id)
	}
	ix = openTest(t, dir)
	defer ix.Close()
	sameIDs(t, ix)

	// Read-only opens leave an old FORMAT alone.
	ro := t.TempDir()
	if err := os.WriteFile(filepath.Join(ro, formatName), old, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readOrCreateFormat(ro, Options{ReadOnly: true}.withDefaults()); err != nil {
		t.Fatal(err)
	}
	if string(mustRead(t, filepath.Join(ro, formatName))) != string(old) {
		t.Errorf("a read-only open rewrote FORMAT")
	}
}

// TestFormatChecksum: a FORMAT whose content changed is refused with ErrDamaged; one only
// re-indented is not.
func TestFormatChecksum(t *testing.T) {
	ff := formatFile{Format: FormatVersion, ID: newIdentity(), Embed: DefaultOptions().Embed}
	b := ff.encode()
	if _, err := decodeFormat(b); err != nil {
		t.Fatalf("own encoding refused: %v", err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	compact, _ := json.Marshal(m)
	if _, err := decodeFormat(compact); err != nil {
		t.Errorf("re-indented FORMAT refused: %v", err)
	}
	m["embed"].(map[string]any)["TopK"] = 64
	edited, _ := json.Marshal(m)
	if _, err := decodeFormat(edited); err == nil {
		t.Errorf("edited FORMAT accepted")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, formatName), edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readOrCreateFormat(dir, DefaultOptions()); !errors.Is(err, ErrDamaged) {
		t.Errorf("edited FORMAT: %v, want ErrDamaged", err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixHeaderCRC recomputes the header checksum of a vectors file whose header is hdrLen bytes long.
func fixHeaderCRC(t *testing.T, b []byte, hdrLen int) []byte {
	t.Helper()
	ns := int(binary.LittleEndian.Uint32(b[hdrLen-4:]))
	sum := crc32.NewIEEE()
	sum.Write(b[:hdrLen+ns])
	binary.LittleEndian.PutUint32(b[hdrLen+ns:], sum.Sum32())
	return b
}
