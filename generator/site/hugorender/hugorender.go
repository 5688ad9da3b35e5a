// Package hugorender runs Hugo (as a library) on the project folders that
// package site writes: in the clause-render command, which clause build and
// clause serve start, and in tests that render in their own process. It is
// the only package of Clause that links Hugo.
package hugorender

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/hugo"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"

	"github.com/clause-portal/clause/generator/site"
)

var _ site.Renderer = Run

// Run builds the Hugo project in folder work with configuration file
// cfgFile and content files content, which Hugo reads from memory as if
// they were in work, writing Hugo's warnings and errors to logw. Its
// errors are Hugo's messages with work stripped from paths, so that
// template errors name the theme or layout file as the user knows it.
func Run(work, cfgFile string, content []site.ContentFile, logw io.Writer) error {
	if logw == nil {
		logw = io.Discard
	}
	logger := loggers.New(loggers.Options{StdOut: logw, StdErr: logw, Level: logg.LevelWarn, DistinctLevel: logg.LevelWarn})
	flags := config.New()
	flags.Set("workingDir", work)
	res, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Fs:          hugofs.Os,
		Filename:    cfgFile,
		Flags:       flags,
		Logger:      logger,
		Environment: "production",
		Environ:     []string{},
	})
	if err != nil {
		return fmt.Errorf("loading Hugo configuration: %v", err)
	}
	// Hugo reads the project from the disk with the content in memory
	// over it, and writes the site to the disk.
	mem := afero.NewMemMapFs()
	if err := mem.MkdirAll(filepath.Join(work, "content"), 0o755); err != nil {
		return err
	}
	for _, f := range content {
		name := filepath.Join(work, filepath.FromSlash(f.Path))
		if err := mem.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := afero.WriteFile(mem, name, bytes.Join(f.Parts, nil), 0o644); err != nil {
			return err
		}
	}
	source := &contentFs{Fs: hugofs.Os, content: filepath.Join(work, "content"), mem: mem}
	hfs := hugofs.NewFromSourceAndDestination(source, hugofs.Os, res.LoadingInfo.Cfg)
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{Configs: res, Fs: hfs, LogLevel: logg.LevelWarn, StdErr: logw, StdOut: logw, TestLogger: logger})
	if err != nil {
		return fmt.Errorf("%s", cleanHugoError(err, work))
	}
	defer sites.Close()
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		return fmt.Errorf("%s", cleanHugoError(err, work))
	}
	return nil
}

// contentFs is the file system Hugo reads a project from: the folder
// content (and all below it) in mem, everything else in Fs.
type contentFs struct {
	afero.Fs
	content string
	mem     afero.Fs
}

func (c *contentFs) fs(name string) afero.Fs {
	if r, err := filepath.Rel(c.content, filepath.Clean(name)); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return c.mem
	}
	return c.Fs
}

func (c *contentFs) Create(name string) (afero.File, error) { return c.fs(name).Create(name) }
func (c *contentFs) Mkdir(name string, perm os.FileMode) error {
	return c.fs(name).Mkdir(name, perm)
}
func (c *contentFs) MkdirAll(name string, perm os.FileMode) error {
	return c.fs(name).MkdirAll(name, perm)
}
func (c *contentFs) Open(name string) (afero.File, error) { return c.fs(name).Open(name) }
func (c *contentFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	return c.fs(name).OpenFile(name, flag, perm)
}
func (c *contentFs) Remove(name string) error               { return c.fs(name).Remove(name) }
func (c *contentFs) RemoveAll(name string) error            { return c.fs(name).RemoveAll(name) }
func (c *contentFs) Stat(name string) (os.FileInfo, error)  { return c.fs(name).Stat(name) }
func (c *contentFs) Chmod(name string, m os.FileMode) error { return c.fs(name).Chmod(name, m) }
func (c *contentFs) Chown(name string, uid, gid int) error  { return c.fs(name).Chown(name, uid, gid) }
func (c *contentFs) Chtimes(name string, a, m time.Time) error {
	return c.fs(name).Chtimes(name, a, m)
}
func (c *contentFs) Rename(from, to string) error {
	if c.fs(from) != c.fs(to) {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: errors.ErrUnsupported}
	}
	return c.fs(from).Rename(from, to)
}
func (c *contentFs) Name() string { return "clause-content" }

// cleanHugoError strips the temporary work folder from Hugo's messages.
func cleanHugoError(err error, work string) string {
	msg := err.Error()
	msg = strings.ReplaceAll(msg, filepath.Join(work, "themes", "clause")+string(filepath.Separator), "themes/clause/")
	msg = strings.ReplaceAll(msg, work+string(filepath.Separator), "")
	return msg
}

// Serve answers site.RenderRequest lines read from in with
// site.RenderReply lines written to out, after a site.RenderHello line,
// until in ends.
func Serve(in io.Reader, out io.Writer) error {
	enc := json.NewEncoder(out) // one value a line
	if err := enc.Encode(site.RenderHello{Protocol: site.RenderProtocol, Hugo: hugo.CurrentVersion.String()}); err != nil {
		return err
	}
	rd := bufio.NewReader(in)
	for {
		line, err := rd.ReadBytes('\n')
		if err == io.EOF && len(bytes.TrimSpace(line)) == 0 {
			return nil
		}
		if err != nil && err != io.EOF {
			return err
		}
		var req site.RenderRequest
		if err := json.Unmarshal(line, &req); err != nil {
			return fmt.Errorf("bad request: %v", err)
		}
		content := make([]site.ContentFile, 0, min(req.Content, 1<<16))
		for range req.Content {
			p, data, err := site.ReadContentFile(rd)
			if err != nil {
				return fmt.Errorf("bad request: %v", err)
			}
			content = append(content, site.ContentFile{Path: p, Parts: [][]byte{data}})
		}
		var log bytes.Buffer
		var reply site.RenderReply
		if err := Run(req.Work, req.Config, content, &log); err != nil {
			reply.Error = err.Error()
		}
		reply.Log = log.String()
		if err := enc.Encode(reply); err != nil {
			return err
		}
	}
}

// Main is the clause-render command: "clause-render serve" serves
// requests on its standard input and output; "clause-render version"
// prints the protocol and Hugo's version.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == "version" {
		fmt.Fprintf(stdout, "%s (hugo v%s)\n", site.RenderProtocol, hugo.CurrentVersion.String())
		return 0
	}
	if len(args) != 1 || args[0] != "serve" {
		fmt.Fprintf(stderr, "usage: %s serve|version\n\n%s renders the portal with Hugo for clause build and clause serve, which start it;\nit is not meant to be run by hand.\n", site.RenderHelper, site.RenderHelper)
		return 2
	}
	if err := Serve(stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", site.RenderHelper, err)
		return 1
	}
	return 0
}
