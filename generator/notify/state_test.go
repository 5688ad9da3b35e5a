package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clause-portal/clause/internal/readcap"
)

func TestStateSurvivesReopenAndLeavesNoTemporaryFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".clause", "notify-state.json")
	s, err := OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	notices := testNotices()
	if n, err := s.Baseline("webhook:a", notices[:2]); err != nil || n != 2 {
		t.Fatalf("baseline: %d, %v", n, err)
	}
	at := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	if err := s.record("email:legal@acme.example", []string{notices[2].Key()}, at); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.Channels(); fmt.Sprint(got) != "[email:legal@acme.example webhook:a]" {
		t.Errorf("channels %v", got)
	}
	if d, ok := s.Delivered("webhook:a", notices[0].Key()); !ok || !d.Baseline {
		t.Errorf("baselined notice: %+v, %v", d, ok)
	}
	if d, ok := s.Delivered("email:legal@acme.example", notices[2].Key()); !ok || d.Baseline || !d.At.Equal(at) {
		t.Errorf("delivered notice: %+v, %v", d, ok)
	}
	if _, ok := s.BaselinedAt("webhook:a"); !ok {
		t.Error("no baseline marker")
	}
	if _, ok := s.BaselinedAt("email:legal@acme.example"); ok {
		t.Error("baseline marker on a channel that was not baselined")
	}
	var raw map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &raw); err != nil || raw["version"] != 1.0 {
		t.Errorf("file %s: %v", data, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestStateIsLockedAgainstConcurrentRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify-state.json")
	s, err := OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenState(path)
	if !errors.Is(err, ErrStateLocked) || !strings.Contains(err.Error(), path+".lock") {
		t.Fatalf("second open: %v, want ErrStateLocked naming the lock", err)
	}
	s.Close()
	s, err = OpenState(path)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	s.Close()
}

func TestStateRejectsCorruptFiles(t *testing.T) {
	for name, tt := range map[string]struct{ content, want string }{
		"syntax":    {"{\n  \"version\": 1,\n  \"channels\": {\n    \"x\": {\"delivered\": {\"a@b\": {\"at\": \"2026-03-01T00:00:00Z\"}\n", ":5:"},
		"empty":     {"", "the file is empty"},
		"type":      {"{\"version\": 1, \"channels\": {\"x\": []}}", ":1:"},
		"version":   {"{\"version\": 7, \"channels\": {}}", "format version 7"},
		"trailing":  {"{\"version\": 1, \"channels\": {}}\n{}", ":2:"},
		"unknown":   {"{\"version\": 1, \"chanels\": {}}", "unknown field"},
		"nil entry": {"{\"version\": 1, \"channels\": {\"x\": null}}", "has no entry"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "notify-state.json")
			os.WriteFile(path, []byte(tt.content), 0o644)
			_, err := OpenState(path)
			if !errors.Is(err, ErrCorruptState) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want ErrCorruptState with %q", err, tt.want)
			}
			// The failed open released its lock.
			os.WriteFile(path, []byte(`{"version": 1, "channels": {}}`), 0o644)
			s, err := OpenState(path)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
		})
	}
}

func TestStateSaveFailureLeavesTheFileIntact(t *testing.T) {
	s := openTestState(t)
	notices := testNotices()
	if _, err := s.Baseline("webhook:a", notices[:1]); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	s.write = func(f *os.File, data []byte) error {
		f.Write(data[:len(data)/2]) // half the new content, then the disk fills up
		return errors.New("no space left on device")
	}
	err := s.record("webhook:a", []string{notices[1].Key()}, time.Now())
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("record: %v", err)
	}
	after, _ := os.ReadFile(s.Path())
	if !bytes.Equal(before, after) {
		t.Errorf("state file changed by a failed save:\n%s", after)
	}
	if _, ok := s.Delivered("webhook:a", notices[1].Key()); ok {
		t.Error("failed record is still in memory")
	}
	if _, err := s.Baseline("webhook:new", notices); err == nil || s.HasChannel("webhook:new") {
		t.Errorf("failed baseline: %v, channel kept: %v", err, s.HasChannel("webhook:new"))
	}
	entries, _ := os.ReadDir(filepath.Dir(s.Path()))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestStateCrashHelper is not a test: TestStateKilledMidSaveIsNeverCorrupt
// runs it in a child process, which records notices as fast as it can until
// it is killed.
func TestStateCrashHelper(t *testing.T) {
	path := os.Getenv("CLAUSE_NOTIFY_CRASH_STATE")
	if path == "" {
		t.Skip("helper process")
	}
	s, err := OpenState(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := 0; i < 200000; i++ {
		key := "doc@v" + strconv.Itoa(i) + strings.Repeat("x", 64)
		if err := s.record("webhook:crash", []string{key}, time.Now()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

func TestStateKilledMidSaveIsNeverCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify-state.json")
	for round := 0; round < 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStateCrashHelper$")
		cmd.Env = append(os.Environ(), "CLAUSE_NOTIFY_CRASH_STATE="+path)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child has saved a few times, then kill it.
		deadline := time.Now().Add(10 * time.Second)
		for {
			if fi, err := os.Stat(path); err == nil && fi.Size() > int64(2000*(round+1)) {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("child made no progress: %s", stderr.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(7*round) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()

		s, err := OpenState(path) // the kernel released the child's lock
		if err != nil {
			t.Fatalf("round %d: state after a kill: %v", round, err)
		}
		n := 0
		for i := 0; ; i++ {
			if _, ok := s.Delivered("webhook:crash", "doc@v"+strconv.Itoa(i)+strings.Repeat("x", 64)); !ok {
				break
			}
			n++
		}
		s.Close()
		if n == 0 {
			t.Fatalf("round %d: no delivery survived", round)
		}
		t.Logf("round %d: %d deliveries recorded before the kill", round, n)
	}
}

func TestStateLockIsTakenOnTheResolvedPath(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "state", "notify-state.json")
	link := filepath.Join(dir, "link.json")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil { // dangling: the state does not exist yet
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "state"), filepath.Join(dir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	s, err := OpenState(link)
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range []string{real, filepath.Join(dir, "linkdir", "notify-state.json"), filepath.Join(dir, "state", "..", "link.json")} {
		if o, err := OpenState(other); !errors.Is(err, ErrStateLocked) {
			if err == nil {
				o.Close()
			}
			t.Errorf("open %s while %s is open: %v, want ErrStateLocked", other, link, err)
		}
	}
	if _, err := s.Baseline("webhook:prod", testNotices()[:1]); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The save replaced the file the link points to, not the link.
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if data, err := os.ReadFile(real); err != nil || !strings.Contains(string(data), "webhook:prod") {
		t.Errorf("state not saved to %s: %v %s", real, err, data)
	}
}

// TestConcurrentRunsThroughALinkDeliverEachNoticeOnce runs two deliveries
// at once, one naming the state file through a symbolic link: the receiver
// holds the first request until both runs have opened the state (or a
// while has passed), so that without a common lock both would send
// everything.
func TestConcurrentRunsThroughALinkDeliverEachNoticeOnce(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "notify-state.json")
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	bothOpen := make(chan struct{})
	var opened atomic.Int32
	var mu sync.Mutex
	delivered := map[string]int{}
	first := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		wait := first
		first = false
		mu.Unlock()
		if wait {
			select {
			case <-bothOpen:
			case <-time.After(300 * time.Millisecond):
			}
		}
		mu.Lock()
		delivered[r.Header.Get("webhook-id")]++
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	notices := testNotices()

	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, path := range []string{link, real} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s *State
			var err error
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if s, err = OpenState(path); !errors.Is(err, ErrStateLocked) {
					break
				}
			}
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			if opened.Add(1) == 2 {
				close(bothOpen)
			}
			_, err = deliver(t, s, []Channel{newTestWebhook(t, srv.URL+"/hook", "prod")}, notices, fastOptions())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(delivered) != len(notices) {
		t.Errorf("%d notices delivered, want %d", len(delivered), len(notices))
	}
	for id, n := range delivered {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
}

// TestStateFileOverCapRefused: a state file over readcap.State is refused by
// name before it is read (a sparse file: nothing is written), and the failed
// open releases its lock.
func TestStateFileOverCapRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify-state.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(readcap.State + 1<<20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = OpenState(path)
	var tl *readcap.TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), path+": file is 257 MiB; this file is limited to 256 MiB") {
		t.Fatalf("error %v, want a TooLargeError naming the file", err)
	}
	os.WriteFile(path, []byte(`{"version": 1, "channels": {}}`), 0o644)
	s, err := OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}
