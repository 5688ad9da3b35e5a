package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"

	"github.com/clause-portal/clause/generator/site"
	"github.com/clause-portal/clause/internal/gittest"
)

const testRelease = "v1.2.3"

// lintWorkflow runs actionlint on a workflow file and fails the test with
// every error it finds.
func lintWorkflow(t *testing.T, path string, content []byte) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("actionlint reads local actions only for a workflow on disk: %v", err)
	}
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(path, content, nil)
	if err != nil {
		t.Fatalf("actionlint %s: %v", path, err)
	}
	for _, e := range errs {
		t.Errorf("actionlint %s:%d:%d: %s [%s]", path, e.Line, e.Column, e.Message, e.Kind)
	}
}

func parseYAML(t *testing.T, name string, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s does not parse as YAML: %v\n%s", name, err, b)
	}
	return m
}

// checkouts returns the "with" of every actions/checkout step of a
// workflow.
func checkouts(wf map[string]any) []map[string]any {
	var out []map[string]any
	jobs, _ := wf["jobs"].(map[string]any)
	for _, j := range jobs {
		steps, _ := j.(map[string]any)["steps"].([]any)
		for _, s := range steps {
			step, _ := s.(map[string]any)
			if uses, _ := step["uses"].(string); strings.HasPrefix(uses, "actions/checkout@") {
				with, _ := step["with"].(map[string]any)
				out = append(out, with)
			}
		}
	}
	return out
}

// parseHeaders reads a _headers file: path lines, then indented
// "Name: value" lines.
func parseHeaders(t *testing.T, b []byte) map[string][]Header {
	t.Helper()
	out := map[string][]Header{}
	cur := ""
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		case !strings.HasPrefix(line, " "):
			cur = line
		case strings.HasPrefix(strings.TrimSpace(line), "! "):
			// Cloudflare's detach: the header of a broader rule is dropped.
			out[cur] = append(out[cur], Header{strings.TrimSpace(line), ""})
		default:
			name, value, ok := strings.Cut(strings.TrimSpace(line), ": ")
			if !ok || cur == "" {
				t.Fatalf("_headers line %q", line)
			}
			out[cur] = append(out[cur], Header{name, value})
		}
	}
	return out
}

func sameHeaders(t *testing.T, where string, got []Header) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(SecurityHeaders) {
		t.Errorf("%s: headers\n%v\nwant\n%v", where, got, SecurityHeaders)
	}
}

// TestHostRecipes renders every host's files and checks each as far as
// this machine can: workflows pass actionlint and clone the full history,
// TOML, JSON and YAML parse, the security headers are the portal's in the
// host's format, Clause is pinned, and notifications go out from
// production deploys only.
func TestHostRecipes(t *testing.T) {
	for _, host := range Hosts {
		t.Run(host, func(t *testing.T) {
			contents, files, err := renderRecipes(host, true, testRelease, "policies", "main")
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil { // actionlint's project root
				t.Fatal(err)
			}
			if _, err := writeRecipes(dir, contents, files, false); err != nil {
				t.Fatal(err)
			}
			install, _ := recipeFS.ReadFile("recipes/install.sh")
			if !bytes.Equal(contents[".clause/install.sh"], install) {
				t.Error(".clause/install.sh is not the installer")
			}
			pinned := false
			for _, f := range files {
				b := contents[f.Path]
				if bytes.Contains(b, []byte(testRelease)) {
					pinned = true
				}
				if bytes.Contains(b, []byte("{%")) || bytes.Contains(b, []byte("<no value>")) {
					t.Errorf("%s: template left-overs:\n%s", f.Path, b)
				}
				switch {
				case strings.HasPrefix(f.Path, ".github/workflows/"):
					lintWorkflow(t, filepath.Join(dir, f.Path), b)
					wf := parseYAML(t, f.Path, b)
					cos := checkouts(wf)
					if len(cos) == 0 {
						t.Errorf("%s: no checkout", f.Path)
					}
					for _, with := range cos {
						if with["fetch-depth"] != 0 {
							t.Errorf("%s: a checkout without fetch-depth: 0: %v", f.Path, with)
						}
					}
					on, _ := wf["on"].(map[string]any)
					if strings.Contains(string(b), "clause/bin/clause notify") {
						if _, ok := on["pull_request"]; ok {
							t.Errorf("%s notifies and runs on pull requests", f.Path)
						}
					}
				case strings.HasSuffix(f.Path, ".yml"):
					parseYAML(t, f.Path, b)
				case strings.HasSuffix(f.Path, ".toml"):
					if _, err := toml.Decode(string(b), &map[string]any{}); err != nil {
						t.Errorf("%s does not parse: %v", f.Path, err)
					}
				case strings.HasSuffix(f.Path, ".json"):
					if !json.Valid(b) {
						t.Errorf("%s is not JSON:\n%s", f.Path, b)
					}
				case strings.HasSuffix(f.Path, ".sh"):
					if out, err := exec.Command("sh", "-n", filepath.Join(dir, f.Path)).CombinedOutput(); err != nil {
						t.Errorf("sh -n %s: %v\n%s", f.Path, err, out)
					}
					if fi, err := os.Stat(filepath.Join(dir, f.Path)); err != nil || fi.Mode()&0o100 == 0 {
						t.Errorf("%s is not executable", f.Path)
					}
				}
			}
			if !pinned {
				t.Errorf("no file names %s", testRelease)
			}
			if !bytes.Contains(contents[".github/workflows/clause-review.yml"], []byte("- \"policies/**\"")) {
				t.Errorf("the review does not run for the content folder:\n%s", contents[".github/workflows/clause-review.yml"])
			}
			checkHost(t, host, contents)
		})
	}
}

func checkHost(t *testing.T, host string, contents map[string][]byte) {
	switch host {
	case "netlify":
		var cfg struct {
			Build   struct{ Command, Publish string }
			Context map[string]struct{ Command string }
			Plugins []struct {
				Package string
				Inputs  struct{ Paths []string }
			}
			Headers []struct {
				For    string
				Values map[string]string
			}
		}
		if _, err := toml.Decode(string(contents["netlify.toml"]), &cfg); err != nil {
			t.Fatal(err)
		}
		for ctx, cmd := range map[string]string{"production": cfg.Build.Command, "deploy-preview": cfg.Context["deploy-preview"].Command, "branch-deploy": cfg.Context["branch-deploy"].Command} {
			if !strings.HasPrefix(cmd, "sh .clause/install.sh "+testRelease+" && .clause/bin/clause build --cache-dir .clause/cache") || strings.Contains(cmd, "notify") {
				t.Errorf("%s command: %s", ctx, cmd)
			}
		}
		if cfg.Build.Publish != "public" || len(cfg.Plugins) != 1 || cfg.Plugins[0].Package != "netlify-plugin-cache" || fmt.Sprint(cfg.Plugins[0].Inputs.Paths) != "[.clause/bin .clause/cache]" {
			t.Errorf("publish %q, plugins %+v", cfg.Build.Publish, cfg.Plugins)
		}
		var got []Header
		for _, h := range SecurityHeaders {
			got = append(got, Header{h.Name, cfg.Headers[0].Values[h.Name]})
		}
		sameHeaders(t, "netlify.toml", got)
		if len(cfg.Headers[0].Values) != len(SecurityHeaders) || cfg.Headers[0].For != "/*" {
			t.Errorf("netlify.toml headers: %+v", cfg.Headers[0])
		}
		checkNotifyOnProductionDeploys(t, contents[".github/workflows/clause-notify.yml"])
	case "github-pages":
		wf := parseYAML(t, "clause-pages.yml", contents[".github/workflows/clause-pages.yml"])
		on := wf["on"].(map[string]any)
		if _, ok := on["pull_request"]; ok {
			t.Error("the pages workflow runs on pull requests")
		}
		notify := wf["jobs"].(map[string]any)["notify"].(map[string]any)
		if notify["needs"] != "deploy" || notify["if"] != "github.event_name == 'push' && github.ref == 'refs/heads/main'" {
			t.Errorf("notify job: needs %v, if %v", notify["needs"], notify["if"])
		}
	case "cloudflare-pages", "vercel":
		b := string(contents[".clause/build.sh"])
		if !strings.Contains(b, "git fetch --quiet --unshallow") || strings.Contains(b, "clause notify") {
			t.Errorf("build.sh:\n%s", b)
		}
		checkNotifyOnProductionDeploys(t, contents[".github/workflows/clause-notify.yml"])
		if host == "cloudflare-pages" {
			rules := parseHeaders(t, contents["static/_headers"])
			sameHeaders(t, "static/_headers", rules["/*"])
			if got := fmt.Sprint(rules["/:id/compare/*"]); got != fmt.Sprint([]Header{{"! Content-Security-Policy", ""}, {"Content-Security-Policy", site.CompareContentSecurityPolicy}}) {
				t.Errorf("static/_headers: compare pages get %s", got)
			}
			break
		}
		var v struct {
			BuildCommand, OutputDirectory string
			Headers                       []struct {
				Source  string
				Headers []struct{ Key, Value string }
			}
		}
		if err := json.Unmarshal(contents["vercel.json"], &v); err != nil {
			t.Fatal(err)
		}
		var got []Header
		for _, h := range v.Headers[0].Headers {
			got = append(got, Header{h.Key, h.Value})
		}
		sameHeaders(t, "vercel.json", got)
		if v.BuildCommand != "sh .clause/build.sh" || v.OutputDirectory != "public" || v.Headers[0].Source != "/(.*)" {
			t.Errorf("vercel.json: %+v", v)
		}
	case "gitlab-pages":
		var ci struct {
			Variables map[string]any
			Default   struct {
				Cache struct{ Paths []string }
			}
			Pages, Notify, Check struct {
				Script []string
				Rules  []map[string]string
				Needs  []string
			}
		}
		if err := yaml.Unmarshal(contents[".gitlab-ci.yml"], &ci); err != nil {
			t.Fatal(err)
		}
		if ci.Variables["GIT_DEPTH"] != 0 || ci.Variables["CLAUSE_VERSION"] != testRelease {
			t.Errorf("variables: %v", ci.Variables)
		}
		if fmt.Sprint(ci.Default.Cache.Paths) != "[.clause/bin/ .clause/cache/]" {
			t.Errorf("cache: %v", ci.Default.Cache.Paths)
		}
		if len(ci.Notify.Rules) != 1 || ci.Notify.Rules[0]["if"] != `$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE != "merge_request_event"` || fmt.Sprint(ci.Notify.Needs) != "[pages]" {
			t.Errorf("notify: %+v", ci.Notify)
		}
		for _, job := range [][]string{ci.Pages.Script, ci.Check.Script} {
			if strings.Contains(strings.Join(job, "\n"), "notify") {
				t.Errorf("a job other than notify notifies: %v", job)
			}
		}
		sameHeaders(t, "static/_headers", parseHeaders(t, contents["static/_headers"])["/*"])
	}
}

// checkNotifyOnProductionDeploys: the notify workflow runs on deployment
// events, and its job only for a successful production deployment (or by
// hand).
func checkNotifyOnProductionDeploys(t *testing.T, b []byte) {
	t.Helper()
	wf := parseYAML(t, "clause-notify.yml", b)
	on := wf["on"].(map[string]any)
	if _, ok := on["deployment_status"]; !ok || len(on) != 2 {
		t.Errorf("notify runs on %v", on)
	}
	cond, _ := wf["jobs"].(map[string]any)["notify"].(map[string]any)["if"].(string)
	want := "github.event_name == 'workflow_dispatch' || (github.event.deployment_status.state == 'success' && github.event.deployment.environment == 'Production')"
	if strings.Join(strings.Fields(cond), " ") != want {
		t.Errorf("notify condition: %q", cond)
	}
}

// TestNetlifyTomlHeadersAreTheRecipes: this repository's own netlify.toml
// sends the headers the recipes write.
func TestNetlifyTomlHeadersAreTheRecipes(t *testing.T) {
	var cfg struct {
		Headers []struct {
			For    string
			Values map[string]string
		}
	}
	if _, err := toml.DecodeFile("../../../netlify.toml", &cfg); err != nil {
		t.Fatal(err)
	}
	var got []Header
	for _, h := range SecurityHeaders {
		got = append(got, Header{h.Name, cfg.Headers[0].Values[h.Name]})
	}
	sameHeaders(t, "netlify.toml", got)
	if SecurityHeaders[0].Value != site.ContentSecurityPolicy {
		t.Error("the recipes' CSP is not site.ContentSecurityPolicy")
	}
}

// TestReviewActionInstallerIsTheRecipes: the action installs Clause with
// the same script as the recipes, and actionlint accepts a workflow that
// uses the action (which reads the action's metadata).
func TestReviewAction(t *testing.T) {
	a, err := os.ReadFile("../../../actions/review/install.sh")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := recipeFS.ReadFile("recipes/install.sh")
	if !bytes.Equal(a, b) {
		t.Error("actions/review/install.sh differs from cmd/clause/cli/recipes/install.sh: copy it")
	}
	meta, err := os.ReadFile("../../../actions/review/action.yml")
	if err != nil {
		t.Fatal(err)
	}
	action := parseYAML(t, "action.yml", meta)
	if action["runs"].(map[string]any)["using"] != "composite" {
		t.Error("not a composite action")
	}
	if !strings.Contains(string(meta), `startswith("`+ReviewMarker+`")`) {
		t.Error("the action does not look for the comment by ReviewMarker")
	}
	// actionlint reads a local action's metadata below the project root,
	// a folder with a .git folder: a copy of the action in one.
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "actions/review"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "actions/review/action.yml"), meta, 0o644); err != nil {
		t.Fatal(err)
	}
	wf := []byte(`name: review
on: pull_request
permissions:
  pull-requests: write
jobs:
  review:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: ./actions/review
        with:
          version: v1.2.3
          content: policies
`)
	p := filepath.Join(root, ".github/workflows/review-test.yml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, wf, 0o644); err != nil { // actionlint finds the project from the file
		t.Fatal(err)
	}
	lintWorkflow(t, p, wf)
}

// release serves a fake Clause release: clause_1.2.3_OS_ARCH.tar.gz holding
// a clause script that answers "clause version" and records the arguments
// of every other call in $CLAUSE_ARGS, and a clause-render, and
// checksums.txt. It counts the
// requests.
func release(t *testing.T, corrupt bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	script := "#!/bin/sh\nif [ \"$1\" = version ]; then echo 'clause " + testRelease + " (fake)'; exit 0; fi\necho \"$*\" >> \"$CLAUSE_ARGS\"\n"
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Name: "clause", Mode: 0o755, Size: int64(len(script))})
	tw.Write([]byte(script))
	render := "#!/bin/sh\necho 'clause-render/1 (fake)'\n"
	tw.WriteHeader(&tar.Header{Name: "clause-render", Mode: 0o755, Size: int64(len(render))})
	tw.Write([]byte(render))
	tw.Close()
	gz.Close()
	archive := fmt.Sprintf("clause_%s_%s_%s.tar.gz", strings.TrimPrefix(testRelease, "v"), runtime.GOOS, runtime.GOARCH)
	sum := sha256.Sum256(buf.Bytes())
	if corrupt {
		sum[0] ^= 1
	}
	sums := fmt.Sprintf("%x  %s\n%x  clause_other.tar.gz\n", sum, archive, sha256.Sum256(nil))
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		switch r.URL.Path {
		case "/" + testRelease + "/" + archive:
			w.Write(buf.Bytes())
		case "/" + testRelease + "/checksums.txt":
			io.WriteString(w, sums)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func requireTools(t *testing.T, tools ...string) {
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
}

// TestInstaller: the installer downloads the release's binary for this
// system, checks it against checksums.txt, installs it, and the next run
// finds it installed without a download; a checksum that does not match
// installs nothing.
func TestInstaller(t *testing.T) {
	requireTools(t, "curl", "tar", "sha256sum")
	install, _ := recipeFS.ReadFile("recipes/install.sh")
	script := filepath.Join(t.TempDir(), "install.sh")
	os.WriteFile(script, install, 0o755)

	srv, requests := release(t, false)
	dest := filepath.Join(t.TempDir(), "bin")
	run := func(url string) (string, error) {
		cmd := exec.Command("sh", script, testRelease, dest)
		cmd.Env = append(os.Environ(), "CLAUSE_DOWNLOAD_URL="+url)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(srv.URL); err != nil || !strings.Contains(out, "installed the released binaries") {
		t.Fatalf("install: %v\n%s", err, out)
	}
	if fi, err := os.Stat(filepath.Join(dest, "clause-render")); err != nil || fi.Mode()&0o100 == 0 {
		t.Errorf("clause-render is not installed beside clause: %v", err)
	}
	if out, err := exec.Command(filepath.Join(dest, "clause"), "version").Output(); err != nil || !strings.HasPrefix(string(out), "clause "+testRelease+" ") {
		t.Errorf("installed clause: %v %q", err, out)
	}
	before := requests.Load()
	if out, err := run(srv.URL); err != nil || !strings.Contains(out, "already installed") || requests.Load() != before {
		t.Errorf("second install: %v, %d requests\n%s", err, requests.Load()-before, out)
	}

	bad, _ := release(t, true)
	dest = filepath.Join(t.TempDir(), "bin")
	out, err := run(bad.URL)
	if err == nil || !strings.Contains(out, "does not match checksums.txt") {
		t.Errorf("corrupt download: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dest, "clause")); err == nil {
		t.Error("a binary whose checksum does not match was installed")
	}
}

// TestBuildScriptOnAShallowClone runs the build command of Cloudflare
// Pages and Vercel as the host would: in a shallow clone, with the host's
// environment variables, for production and for a preview. The clone is
// made whole, Clause installed at the pinned version, and clause build
// called with the cache folder and the right base URL; never notify.
func TestBuildScriptOnAShallowClone(t *testing.T) {
	requireTools(t, "curl", "tar", "sha256sum")
	srv, _ := release(t, false)
	r := gittest.New(t)
	r.Write("content/dpa.md", "# DPA\n\nOne.\n")
	r.Commit("2026-01-01T10:00:00Z", "First")
	r.Write("content/dpa.md", "# DPA\n\nTwo.\n")
	r.Commit("2026-02-01T10:00:00Z", "Second")
	for _, tc := range []struct {
		host string
		env  []string
		want string
	}{
		{"vercel", []string{"VERCEL_ENV=production", "VERCEL_PROJECT_PRODUCTION_URL=legal.acme.example", "VERCEL_URL=p-123.vercel.app"}, "build --cache-dir .clause/cache --base-url https://legal.acme.example"},
		{"vercel", []string{"VERCEL_ENV=preview", "VERCEL_PROJECT_PRODUCTION_URL=legal.acme.example", "VERCEL_URL=p-123.vercel.app"}, "build --cache-dir .clause/cache --base-url https://p-123.vercel.app"},
		{"cloudflare-pages", []string{"CF_PAGES=1", "CF_PAGES_BRANCH=main", "CF_PAGES_URL=https://abc.legal.pages.dev"}, "build --cache-dir .clause/cache"},
		{"cloudflare-pages", []string{"CF_PAGES=1", "CF_PAGES_BRANCH=fix-typo", "CF_PAGES_URL=https://abc.legal.pages.dev"}, "build --cache-dir .clause/cache --base-url https://abc.legal.pages.dev"},
	} {
		clone := filepath.Join(t.TempDir(), "clone")
		if out, err := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+r.Dir, clone).CombinedOutput(); err != nil {
			t.Fatalf("git clone: %v\n%s", err, out)
		}
		contents, files, err := renderRecipes(tc.host, false, testRelease, "content", "main")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := writeRecipes(clone, contents, files, false); err != nil {
			t.Fatal(err)
		}
		args := filepath.Join(t.TempDir(), "args")
		cmd := exec.Command("sh", ".clause/build.sh")
		cmd.Dir = clone
		cmd.Env = append(append(os.Environ(), gittest.Env()...), append(tc.env, "CLAUSE_DOWNLOAD_URL="+srv.URL, "CLAUSE_ARGS="+args)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", tc.host, tc.env, err, out)
		}
		shallow, _ := exec.Command("git", "-C", clone, "rev-parse", "--is-shallow-repository").Output()
		count, _ := exec.Command("git", "-C", clone, "rev-list", "--count", "HEAD").Output()
		if strings.TrimSpace(string(shallow)) != "false" || strings.TrimSpace(string(count)) != "2" {
			t.Errorf("%s: after the build the clone is shallow %s with %s commits", tc.host, shallow, count)
		}
		got, _ := os.ReadFile(args)
		if strings.TrimSpace(string(got)) != tc.want {
			t.Errorf("%s %v: clause called with %q, want %q", tc.host, tc.env, got, tc.want)
		}
	}
}

// TestInitHost: clause init --host writes the host's files and a
// clause.toml, refuses to replace them without --force, and asks for a
// release to pin when it is a development build.
func TestInitHost(t *testing.T) {
	r := gittest.New(t)
	r.Write("policies/privacy.md", "# Privacy Policy\n\nText.\n")
	r.Commit("2026-01-01T10:00:00Z", "Policies")
	code, out, errOut := run(t, "init", "--repo", r.Dir, "--host", "netlify", "--review", "--clause-version", testRelease)
	if code != ExitOK {
		t.Fatalf("init --host: %d\n%s%s", code, out, errOut)
	}
	for _, p := range []string{".clause/install.sh", ".clause/.gitignore", "netlify.toml", ".github/workflows/clause-notify.yml", ".github/workflows/clause-review.yml", "clause.toml"} {
		if !strings.Contains(out, "  "+p+"\n") {
			t.Errorf("output does not list %s:\n%s", p, out)
		}
		if _, err := os.Stat(filepath.Join(r.Dir, p)); err != nil {
			t.Errorf("%s not written: %v", p, err)
		}
	}
	review, _ := os.ReadFile(filepath.Join(r.Dir, ".github/workflows/clause-review.yml"))
	if !strings.Contains(string(review), "- \"policies/**\"") || !strings.Contains(string(review), "uses: clause-portal/clause/actions/review@"+testRelease) {
		t.Errorf("review workflow:\n%s", review)
	}
	if status := r.Git("status", "--porcelain", "--ignored", ".clause"); strings.Contains(status, "!!") {
		t.Errorf("git ignores part of .clause: %s", status)
	}

	code, _, errOut = run(t, "init", "--repo", r.Dir, "--host", "netlify", "--clause-version", testRelease)
	if code != ExitUsage || !strings.Contains(errOut, ".clause/install.sh, .clause/.gitignore, netlify.toml, .github/workflows/clause-notify.yml already exist: pass --force") {
		t.Errorf("second init: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "init", "--repo", r.Dir, "--host", "netlify", "--clause-version", testRelease, "--force"); code != ExitOK {
		t.Errorf("init --force: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "init", "--repo", r.Dir, "--host", "heroku", "--clause-version", testRelease); code != ExitUsage || !strings.Contains(errOut, "netlify, github-pages") {
		t.Errorf("--host heroku: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "init", "--repo", r.Dir, "--host", "vercel"); code != ExitUsage || !strings.Contains(errOut, "--clause-version") {
		t.Errorf("a development build without --clause-version: %d %s", code, errOut)
	}
}

// TestHeadersFileIsPublished: the static/_headers a recipe writes is in
// the built site, where Cloudflare Pages and GitLab Pages read it.
func TestHeadersFileIsPublished(t *testing.T) {
	r := gittest.New(t)
	r.Write("content/privacy.md", "# Privacy Policy\n\nText.\n")
	r.Commit("2026-01-01T10:00:00Z", "Policies")
	if code, out, errOut := run(t, "init", "--repo", r.Dir, "--host", "gitlab-pages", "--clause-version", testRelease); code != ExitOK {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	r.Commit("2026-01-02T10:00:00Z", "Deploy on GitLab Pages")
	if code, out, errOut := run(t, "build", "--repo", r.Dir, "--no-cache", "--out", filepath.Join(r.Dir, "public")); code != ExitOK {
		t.Fatalf("build: %d\n%s%s", code, out, errOut)
	}
	want, _ := os.ReadFile(filepath.Join(r.Dir, "static/_headers"))
	got, err := os.ReadFile(filepath.Join(r.Dir, "public/_headers"))
	if err != nil || !bytes.Equal(got, want) || len(want) == 0 {
		t.Errorf("public/_headers: %v\n%s", err, got)
	}
}

// TestRecipesAllowTheRedlineEngineOnComparePagesOnly: where a recipe sets
// the portal's headers per path (Netlify, Vercel), the compare pages get
// the policy that lets the redline engine (WebAssembly) run, and no other
// rule allows it.
func TestRecipesAllowTheRedlineEngineOnComparePagesOnly(t *testing.T) {
	for host, want := range map[string]string{"netlify": "for = \"/*/compare/*\"", "vercel": "\"source\": \"/(.*)/compare/(.*)\""} {
		contents, _, err := renderRecipes(host, false, testRelease, "policies", "main")
		if err != nil {
			t.Fatal(err)
		}
		file := map[string]string{"netlify": "netlify.toml", "vercel": "vercel.json"}[host]
		b := string(contents[file])
		i := strings.Index(b, want)
		if i < 0 {
			t.Errorf("%s: no compare-page rule in %s", host, file)
			continue
		}
		if strings.Count(b, "wasm-unsafe-eval") != 1 || strings.Index(b, "wasm-unsafe-eval") < i {
			t.Errorf("%s: 'wasm-unsafe-eval' outside the compare-page rule:\n%s", host, b)
		}
	}
}
