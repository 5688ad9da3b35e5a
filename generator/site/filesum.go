package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// FileSum returns the SHA-256 of the file at path p. The page cache and the
// memo key their entries by the executables that make them (clause, 30 MB,
// and clause-render, 74 MB): hashing both cost ~70 ms of every build, a
// tenth of a rebuild of a small portal. So a sum is kept, in the user's
// cache folder, under the file's identity as the system gives it (device,
// inode, size, modification and change times, as git's index does): a
// file replaced or written to in any way gets a new change time at least,
// and is read again. Where that identity is not available, or the cache
// folder is not private to the user, the file is read every time.
func FileSum(p string) ([32]byte, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return [32]byte{}, err
	}
	f, err := os.Open(abs)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return [32]byte{}, err
	}
	id, changed, ok := fileIdentity(fi)
	if ok {
		if sum, found := lookupSum(abs, id); found {
			return sum, nil
		}
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return [32]byte{}, err
	}
	var sum [32]byte
	h.Sum(sum[:0])
	fileSumsRead.Add(1)
	// A file changed a moment ago may change again within the same tick of
	// the change time: kept only once it has settled.
	if ok && time.Since(changed) > settleTime {
		storeSum(abs, id, sum)
	}
	return sum, nil
}

// settleTime is how long ago a file must have changed for its sum to be
// kept (a variable for the tests).
var settleTime = 2 * time.Second

// fileSumsRead counts the files FileSum read and hashed (for the tests).
var fileSumsRead atomic.Int64

// sumCacheDir is the folder of the kept sums ("" to keep none); a variable
// for the tests.
var sumCacheDir = func() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "clause")
}

// sumsFile is the name of the file of kept sums in sumCacheDir: one line
// per file, "sum identity path", tab-separated, newest first.
const sumsFile = "file-sums"

// maxSums bounds the lines kept; maxSumsFile the file read.
const (
	maxSums     = 32
	maxSumsFile = 64 << 10
)

var sumsMu sync.Mutex // between the goroutines of one process

// readSums returns the kept lines, or nil when there are none or the
// folder is not private to the user.
func readSums() (dir string, lines []string) {
	dir = sumCacheDir()
	if dir == "" {
		return "", nil
	}
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() || privateFolder(dir, fi) != nil {
		return "", nil
	}
	f, err := os.Open(filepath.Join(dir, sumsFile))
	if err != nil {
		return dir, nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSumsFile))
	if err != nil {
		return dir, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return dir, lines
}

// lookupSum finds the kept sum of the file at abs with identity id.
func lookupSum(abs, id string) ([32]byte, bool) {
	sumsMu.Lock()
	defer sumsMu.Unlock()
	_, lines := readSums()
	for _, l := range lines {
		f := strings.SplitN(l, "\t", 3)
		if len(f) != 3 || f[1] != id || f[2] != abs {
			continue
		}
		var sum [32]byte
		if b, err := hex.DecodeString(f[0]); err == nil && len(b) == len(sum) {
			copy(sum[:], b)
			return sum, true
		}
	}
	return [32]byte{}, false
}

// storeSum keeps sum for the file at abs with identity id, in place of
// what was kept for that path. Failing to keep it is no error: the file is
// read again next time.
func storeSum(abs, id string, sum [32]byte) {
	if strings.ContainsAny(abs, "\t\n") {
		return
	}
	sumsMu.Lock()
	defer sumsMu.Unlock()
	dir, lines := readSums()
	if dir == "" {
		if dir = sumCacheDir(); dir == "" || os.MkdirAll(dir, 0o700) != nil {
			return
		}
		if fi, err := os.Lstat(dir); err != nil || privateFolder(dir, fi) != nil {
			return
		}
	}
	out := []string{fmt.Sprintf("%x\t%s\t%s", sum, id, abs)}
	for _, l := range lines {
		if f := strings.SplitN(l, "\t", 3); len(f) == 3 && f[2] != abs && len(out) < maxSums {
			out = append(out, l)
		}
	}
	_ = writeAtomic(filepath.Join(dir, sumsFile), []byte(strings.Join(out, "\n")+"\n"))
}
