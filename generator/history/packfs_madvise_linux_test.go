package history

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

// packResident returns the resident memory, in kB, of this process's
// maps of files ending in suffix below dir (/proc/self/smaps).
func packResident(t *testing.T, dir, suffix string) (kB int, maps int) {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if strings.Contains(fields[0], "-") && len(fields) >= 5 {
			// A map's header: range, permissions, offset, device, inode, path.
			path := fields[len(fields)-1]
			in = strings.HasPrefix(path, dir) && strings.HasSuffix(path, suffix)
			if in {
				maps++
			}
			continue
		}
		if in && fields[0] == "Rss:" {
			n, _ := strconv.Atoi(fields[1])
			kB += n
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return kB, maps
}

// DropCache takes the packs' memory maps out of the process's resident
// memory, and reading afterwards reads them back.
func TestDropCacheReleasesPackMaps(t *testing.T) {
	g := smallRepo(t)
	g.git("repack", "-adq")
	r := openRepo(t, g.dir)
	h, err := r.Read(context.Background(), Query{Prefix: "content"})
	if err != nil {
		t.Fatal(err)
	}
	before := map[string][]byte{}
	for _, d := range h.Documents {
		for _, v := range d.Versions {
			if before[v.Blob], err = r.Blob(v.Blob); err != nil {
				t.Fatal(err)
			}
		}
	}
	kB, maps := packResident(t, g.dir, ".pack")
	if maps == 0 || kB == 0 {
		t.Fatalf("after reading the history: %d pack maps, %d kB resident; want some of both", maps, kB)
	}
	r.DropCache()
	if kB, _ := packResident(t, g.dir, ".pack"); kB != 0 {
		t.Errorf("after DropCache: %d kB of the pack resident, want 0", kB)
	}
	for b, want := range before {
		if got, err := r.Blob(b); err != nil || !bytes.Equal(got, want) {
			t.Errorf("Blob(%s) after DropCache: %q, %v; want %q", b, got, err, want)
		}
	}
}
