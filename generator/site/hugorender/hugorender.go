// Package hugorender runs Hugo (as a library) on the project folders that
// package site writes: in the clause-render command, which clause build and
// clause serve start, and in tests that render in their own process. It is
// the only package of Clause that links Hugo.
package hugorender

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/hugo"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"

	"github.com/clause-portal/clause/generator/site"
)

var _ site.Renderer = Run

// Run builds the Hugo project in folder work with configuration file
// cfgFile, writing Hugo's warnings and errors to logw. Its errors are Hugo's
// messages with work stripped from paths, so that template errors name the
// theme or layout file as the user knows it.
func Run(work, cfgFile string, logw io.Writer) error {
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
	hfs := hugofs.NewFrom(hugofs.Os, res.LoadingInfo.BaseConfig)
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
		var log bytes.Buffer
		var reply site.RenderReply
		if err := Run(req.Work, req.Config, &log); err != nil {
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
