package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// HugoVersion is the version of Hugo that clause-render links (go.mod pins
// it; a test keeps the two equal).
const HugoVersion = "0.165.0"

// RenderHelper is the name of the command that runs Hugo for Build.
const RenderHelper = "clause-render"

// RenderProtocol names the requests and replies Build and the helper
// exchange; a helper speaking another one is from another release.
const RenderProtocol = "clause-render/2"

// A Renderer has Hugo build the project in folder work with configuration
// file config and content files content (Hugo reads them from memory, as
// if they were in work), writing Hugo's warnings and errors to log. Its
// errors are Hugo's messages, with work stripped from paths.
type Renderer func(work, config string, content []ContentFile, log io.Writer) error

// A ContentFile is a file of a Hugo project's content, handed to Hugo
// without being written to the disk: thousands of small files cost more
// to create, read and delete than to render.
type ContentFile struct {
	Path  string   // slash path below the project folder: content/…
	Parts [][]byte // its bytes, in parts
}

// maxContentFile caps a content file the helper reads (a large register's
// page is tens of megabytes; its rows go round Hugo, see Defer).
const maxContentFile = 1 << 30

// WriteContentFile writes f to w as ReadContentFile reads it: the length
// of its path and the path, the length of its bytes and the bytes.
func WriteContentFile(w io.Writer, f ContentFile) error {
	n := 0
	for _, p := range f.Parts {
		n += len(p)
	}
	head := binary.AppendUvarint(nil, uint64(len(f.Path)))
	head = append(head, f.Path...)
	head = binary.AppendUvarint(head, uint64(n))
	if _, err := w.Write(head); err != nil {
		return err
	}
	for _, p := range f.Parts {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// ReadContentFile reads a file WriteContentFile wrote. Its path must be a
// clean relative path below content/.
func ReadContentFile(r *bufio.Reader) (path string, data []byte, err error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", nil, err
	}
	if n > 4096 {
		return "", nil, fmt.Errorf("content file path of %d bytes", n)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return "", nil, err
	}
	path = string(p)
	if !strings.HasPrefix(path, "content/") || !fs.ValidPath(path) {
		return "", nil, fmt.Errorf("content file path %q: not below content/", path)
	}
	if n, err = binary.ReadUvarint(r); err != nil {
		return "", nil, err
	}
	if n > maxContentFile {
		return "", nil, fmt.Errorf("%s: content file of %d bytes", path, n)
	}
	data = make([]byte, n)
	if _, err := io.ReadFull(r, data); err != nil {
		return "", nil, err
	}
	return path, data, nil
}

// RenderHello is the first line the helper writes: its protocol.
type RenderHello struct {
	Protocol string `json:"protocol"`
	Hugo     string `json:"hugo"`
}

// RenderRequest asks the helper to build one project: one JSON line, then
// the project's Content files (WriteContentFile).
type RenderRequest struct {
	Work    string `json:"work"`
	Config  string `json:"config"`
	Content int    `json:"content,omitempty"`
}

// RenderReply answers a RenderRequest: what Hugo logged, and its error.
type RenderReply struct {
	Log   string `json:"log,omitempty"`
	Error string `json:"error,omitempty"`
}

var (
	rendererMu sync.Mutex
	inProcess  Renderer // set by SetRenderer
	helper     *helperProcess
)

// SetRenderer makes Build call r in this process instead of the
// clause-render helper: the helper itself does, and tests do that link Hugo
// anyway (site/hugorender.Run).
func SetRenderer(r Renderer) {
	rendererMu.Lock()
	defer rendererMu.Unlock()
	inProcess = r
}

// StartRenderer starts the clause-render helper, if Build will need one,
// so that its start (Hugo's initialisation) overlaps with the work that
// comes before rendering. Build starts it otherwise; an error to start it
// is reported by Build.
func StartRenderer() {
	rendererMu.Lock()
	defer rendererMu.Unlock()
	if inProcess == nil && helper == nil {
		helper, _ = startHelper(nil) // Build builds it if it must
	}
}

// StopRenderer ends the clause-render helper, if one runs, and waits for
// it, so that its resources are accounted to this process (GNU time and the
// like count the children a process waited for).
func StopRenderer() error {
	rendererMu.Lock()
	defer rendererMu.Unlock()
	if helper == nil || helper.dead {
		helper = nil
		return nil
	}
	h := helper
	helper = nil
	h.dead = true
	h.in.Close() // the helper ends at the end of its input
	return h.cmd.Wait()
}

func render(work, config string, content []ContentFile, log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	rendererMu.Lock()
	defer rendererMu.Unlock()
	if inProcess != nil {
		if err := inProcess(work, config, content, log); err != nil {
			return fmt.Errorf("%w: %v", ErrRender, err)
		}
		return nil
	}
	if helper == nil || helper.dead {
		h, err := startHelper(log)
		if err != nil {
			return err
		}
		helper = h
	}
	return helper.render(work, config, content, log)
}

// helperProcess is a running clause-render: it serves the builds of this
// process one after the other (clause serve rebuilds, the batches of a
// large portal), so that Hugo initialises once.
type helperProcess struct {
	path   string
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *tailBuffer
	hello  bool // the hello line was read
	dead   bool
}

// ErrNoRenderHelper is returned by Build when the clause-render command is
// not installed beside clause nor on the PATH, and cannot be built from the
// source clause was built from.
var ErrNoRenderHelper = errors.New("the " + RenderHelper + " command, which renders the portal with Hugo, is not installed beside clause nor on the PATH: " +
	"install it with clause (go install github.com/clause-portal/clause/cmd/clause@VERSION github.com/clause-portal/clause/cmd/clause-render@VERSION installs both), or set CLAUSE_RENDER to its path")

// findHelper returns the path of clause-render: $CLAUSE_RENDER, else the
// one beside the running executable, else the one on the PATH, else (when
// progress is not nil) one built from the source this clause was built
// from, as `go run ./cmd/clause build` in a checkout needs.
func findHelper(progress io.Writer) (string, error) {
	if p := os.Getenv("CLAUSE_RENDER"); p != "" {
		return p, nil
	}
	name := RenderHelper
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(RenderHelper); err == nil {
		return p, nil
	}
	if progress != nil {
		return buildHelper(name, progress)
	}
	return "", ErrNoRenderHelper
}

// sourceModule is the root of the module this package was compiled from,
// when its source is still where it was compiled (go run, go build, go
// install in a checkout or the module cache; not a binary built with
// -trimpath or moved to another machine), else "".
func sourceModule() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(file))) // generator/site/render.go
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !bytes.HasPrefix(mod, []byte("module "+modulePath+"\n")) {
		return ""
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", RenderHelper, "main.go")); err != nil {
		return ""
	}
	return root
}

// modulePath is Clause's module.
const modulePath = "github.com/clause-portal/clause"

// buildHelper builds clause-render with the go command from the source
// this clause was built from, into the user's cache folder (one per source
// folder), and returns its path. The go command rebuilds only what changed:
// when the helper is up to date this costs a fraction of a second.
func buildHelper(name string, progress io.Writer) (string, error) {
	root := sourceModule()
	if root == "" {
		return "", ErrNoRenderHelper
	}
	gocmd, err := exec.LookPath("go")
	if err != nil {
		return "", ErrNoRenderHelper
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256([]byte(root))
	out := filepath.Join(cache, "clause", fmt.Sprintf("render-%x", sum[:6]), name)
	fresh := true
	if _, err := os.Stat(out); err == nil {
		fresh = false
	} else {
		fmt.Fprintf(progress, "%s is not installed: building it from %s with %s (once; Hugo takes minutes to compile on a cold Go build cache)\n", RenderHelper, root, gocmd)
	}
	cmd := exec.Command(gocmd, "build", "-o", out, "./cmd/"+RenderHelper)
	cmd.Dir = root
	tail := &tailBuffer{max: 8 << 10}
	cmd.Stdout, cmd.Stderr = tail, tail
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: building %s from %s: %v\n%s", ErrRender, RenderHelper, root, err, strings.TrimSpace(tail.String()))
	}
	if fresh {
		fmt.Fprintf(progress, "%s built: %s\n", RenderHelper, out)
	}
	return out, nil
}

// startHelper starts clause-render; with progress not nil it may build it
// first, telling progress.
func startHelper(progress io.Writer) (*helperProcess, error) {
	path, err := findHelper(progress)
	if err != nil {
		return nil, err
	}
	h := &helperProcess{path: path, stderr: &tailBuffer{max: 8 << 10}}
	h.cmd = exec.Command(path, "serve")
	h.cmd.Stderr = h.stderr
	h.cmd.SysProcAttr = helperProcAttr()
	if h.in, err = h.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := h.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	h.out = bufio.NewReaderSize(stdout, 64<<10)
	if err := h.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	return h, nil
}

// fail marks the helper unusable, ends it, and returns an error naming it
// and what it printed.
func (h *helperProcess) fail(what string, err error) error {
	h.dead = true
	h.in.Close()
	if h.cmd.Process != nil {
		h.cmd.Process.Kill()
	}
	h.cmd.Wait()
	msg := fmt.Sprintf("%s: %s: %v", h.path, what, err)
	if tail := strings.TrimSpace(h.stderr.String()); tail != "" {
		msg += "\n" + tail
	}
	return fmt.Errorf("%w: %s", ErrRender, msg)
}

func (h *helperProcess) render(work, config string, content []ContentFile, log io.Writer) error {
	if !h.hello {
		line, err := h.out.ReadBytes('\n')
		if err != nil {
			return h.fail("no reply", err)
		}
		var hello RenderHello
		if err := json.Unmarshal(line, &hello); err != nil || hello.Protocol != RenderProtocol {
			return h.fail("not a helper of this release", fmt.Errorf("it speaks %q, this clause %q: install both from the same release", bytes.TrimSpace(line), RenderProtocol))
		}
		h.hello = true
	}
	req, err := json.Marshal(RenderRequest{Work: work, Config: config, Content: len(content)})
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(h.in, 256<<10)
	w.Write(append(req, '\n'))
	for _, f := range content {
		WriteContentFile(w, f)
	}
	if err := w.Flush(); err != nil {
		return h.fail("send request", err)
	}
	line, err := h.out.ReadBytes('\n')
	if err != nil {
		return h.fail("read reply", err)
	}
	var reply RenderReply
	if err := json.Unmarshal(line, &reply); err != nil {
		return h.fail("read reply", err)
	}
	io.WriteString(log, reply.Log)
	if reply.Error != "" {
		return fmt.Errorf("%w: %s", ErrRender, reply.Error)
	}
	return nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
