package document

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"github.com/clause-portal/clause/generator/markdown"
	yaml "go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// MaxFrontMatter is the largest front matter accepted, in bytes.
const MaxFrontMatter = 256 << 10

type frontMatterBlock struct {
	format   string // "yaml" or "toml"; "" when the file has none
	raw      []byte
	line     int // file line of the first front matter line
	body     []byte
	bodyLine int
}

// splitFrontMatter separates front matter from the body with
// adrg/frontmatter, recording where each starts so that errors can name a
// line of the file.
func splitFrontMatter(p string, text []byte) (frontMatterBlock, error) {
	var fm frontMatterBlock
	// Locate the opening delimiter: the first non-blank line.
	openLine, opener := 0, ""
	for i, rest := 0, text; len(rest) > 0; i++ {
		line := rest
		if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
			line, rest = rest[:nl], rest[nl+1:]
		} else {
			rest = nil
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			openLine, opener = i+1, string(t)
			break
		}
	}
	switch opener {
	case "---", "---yaml", "+++", "---toml":
	default: // no front matter: adrg/frontmatter would copy the whole text
		fm.body, fm.bodyLine = text, 1
		return fm, nil
	}
	// adrg/frontmatter copies the whole body after the front matter; the
	// reader stops once the front matter is captured, and the body is taken
	// from text instead.
	src := &stopReader{text: text}
	capture := func(format string) frontmatter.UnmarshalFunc {
		return func(data []byte, _ any) error {
			fm.format = format
			fm.raw = append([]byte{}, data...)
			src.stop = true
			return nil
		}
	}
	formats := []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", capture("yaml")),
		frontmatter.NewFormat("---yaml", "---", capture("yaml")),
		frontmatter.NewFormat("+++", "+++", capture("toml")),
		frontmatter.NewFormat("---toml", "---", capture("toml")),
	}
	rest, err := frontmatter.Parse(src, nil, formats...)
	if err != nil {
		return fm, &Error{Path: p, Msg: "reading front matter: " + err.Error(), Err: err}
	}

	if fm.raw == nil {
		closer := "---"
		if opener == "+++" {
			closer = "+++"
		}
		return fm, errorf(p, openLine, "front matter opened here is never closed: add a line %q after it", closer)
	}
	fm.line = openLine + 1
	// rest is the part of the body read before the reader stopped: the
	// body starts len(rest) bytes before the end of what was read.
	body := text[src.off-len(rest):]
	fm.body = body
	fm.bodyLine = lineAt(text, len(text)-len(body))
	if len(body) == 0 {
		fm.bodyLine = lineAt(text, len(text))
	}
	if len(fm.raw) > MaxFrontMatter {
		return fm, errorf(p, fm.line, "front matter is %d bytes; the limit is %d KiB", len(fm.raw), MaxFrontMatter>>10)
	}
	return fm, nil
}

// stopReader reads text until stop is set.
type stopReader struct {
	text []byte
	off  int // bytes read
	stop bool
}

func (r *stopReader) Read(p []byte) (int, error) {
	if r.stop || r.off == len(r.text) {
		return 0, io.EOF
	}
	n := copy(p, r.text[r.off:])
	r.off += n
	return n, nil
}

var (
	yamlLine = regexp.MustCompile(`\bline (\d+)\b`)
)

// decodeFrontMatter decodes the front matter into Params and the typed
// fields, reporting the file line of any error.
func (d *Document) decodeFrontMatter(fm frontMatterBlock) error {
	params := map[string]any{}
	switch fm.format {
	case "yaml":
		if simple, ok := simpleYAML(fm.raw); ok {
			params = simple
			break
		}
		if err := yaml.Unmarshal(fm.raw, &params); err != nil {
			line := fm.line
			msg := strings.Join(strings.Fields(strings.TrimPrefix(err.Error(), "yaml: ")), " ")
			msg = strings.TrimPrefix(msg, "unmarshal errors: ")
			if loc := yamlLine.FindStringSubmatchIndex(msg); loc != nil {
				n, _ := strconv.Atoi(msg[loc[2]:loc[3]])
				line = fm.line + n - 1
				rest := strings.TrimPrefix(msg[loc[1]:], ":")
				// Later "line N" references (e.g. "already defined at line
				// 1") are made file lines too.
				rest = yamlLine.ReplaceAllStringFunc(rest, func(s string) string {
					k, _ := strconv.Atoi(strings.TrimPrefix(s, "line "))
					return fmt.Sprintf("line %d", fm.line+k-1)
				})
				msg = strings.TrimSpace(msg[:loc[0]] + rest)
			}
			return &Error{Path: d.Path, Line: line, Msg: "invalid YAML front matter: " + msg, Err: err}
		}
	case "toml":
		if err := toml.Unmarshal(fm.raw, &params); err != nil {
			line := fm.line
			var perr toml.ParseError
			if errors.As(err, &perr) {
				line = fm.line + perr.Position.Line - 1
				return &Error{Path: d.Path, Line: line, Msg: "invalid TOML front matter: " + perr.Message, Err: err}
			}
			return &Error{Path: d.Path, Line: line, Msg: "invalid TOML front matter: " + err.Error(), Err: err}
		}
	}
	d.Params = params

	var errs Errors
	field := func(key string) (any, int, bool) {
		v, ok := params[key]
		if !ok {
			return nil, 0, false
		}
		return v, fm.line + keyLine(fm.raw, fm.format, key) - 1, true
	}
	str := func(key string) string {
		v, line, ok := field(key)
		if !ok || v == nil {
			return ""
		}
		s, isString := v.(string)
		if !isString {
			errs = append(errs, errorf(d.Path, line, "%s must be a string, not %s", key, describe(v)))
			return ""
		}
		return strings.TrimSpace(s)
	}

	if v, line, ok := field("title"); ok {
		if d.Title = str("title"); d.Title == "" && v != nil {
			if _, isString := v.(string); isString {
				errs = append(errs, errorf(d.Path, line, "title is empty: remove it to use the first heading, or give a title"))
			}
		}
	}
	if k := str("kind"); k != "" {
		d.Kind = Kind(strings.ToLower(k))
		if !validKind(d.Kind) {
			_, line, _ := field("kind")
			errs = append(errs, errorf(d.Path, line, "unknown kind %q: use one of %s", k, kindList()))
			d.Kind = ""
		}
	}
	d.Summary = str("summary")
	if _, ok := params["summary"]; !ok {
		d.Summary = str("description") // Jekyll, Docusaurus, MkDocs
	}
	if v, line, ok := field("draft"); ok && v != nil {
		b, isBool := v.(bool)
		if !isBool {
			errs = append(errs, errorf(d.Path, line, "draft must be true or false, not %s", describe(v)))
		}
		d.Draft = b
	}
	if v, line, ok := field("effective"); ok && v != nil {
		date, err := dateValue(v)
		if err != nil {
			errs = append(errs, errorf(d.Path, line, "effective: %v", err))
		}
		d.Effective = date
	}
	if lang := str("language"); lang != "" {
		tag, err := language.Parse(lang)
		if err != nil {
			_, line, _ := field("language")
			errs = append(errs, errorf(d.Path, line, "language %q is not a valid BCP 47 tag (e.g. en, de, fr-CA)", lang))
		} else {
			d.Language = tag.String()
		}
	}
	d.TranslationKey = str("translationKey")
	for _, key := range []string{"url", "permalink", "slug"} { // Hugo, Jekyll, Docusaurus
		if v := str(key); v != "" {
			if strings.Contains(v, "..") || strings.ContainsAny(v, "\\?#%\x00") {
				_, line, _ := field(key)
				errs = append(errs, errorf(d.Path, line, "%s %q is not a usable URL path: use letters, digits, hyphens and /", key, v))
				break
			}
			d.Slug, d.SlugKey = v, key
			break
		}
	}
	if v, line, ok := field("notice_days"); ok && v != nil {
		n, isInt := intValue(v)
		switch {
		case !isInt:
			errs = append(errs, errorf(d.Path, line, "notice_days must be a whole number of days, not %s", describe(v)))
		case n < 0 || n > 3650:
			errs = append(errs, errorf(d.Path, line, "notice_days %d is out of range (0–3650)", n))
		default:
			d.NoticeDays = n
		}
	}
	if v, line, ok := field("aliases"); ok && v != nil {
		aliases, err := stringList(v)
		if err != nil {
			errs = append(errs, errorf(d.Path, line, "aliases: %v", err))
		}
		for _, a := range aliases {
			if err := checkAlias(a); err != nil {
				errs = append(errs, errorf(d.Path, line, "alias %q: %v", a, err))
			}
		}
		d.Aliases = aliases
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// FieldLine returns the file line of a top-level front matter field, for
// errors about its value: the line of the key, or of the front matter's
// first line when the key cannot be found; 0 without front matter.
func (d *Document) FieldLine(key string) int {
	if d.FrontMatter == nil {
		return 0
	}
	format := "yaml"
	if keyLine(d.FrontMatter, "yaml", key) == 1 && keyLine(d.FrontMatter, "toml", key) > 1 {
		format = "toml"
	}
	return d.FrontMatterLine + keyLine(d.FrontMatter, format, key) - 1
}

// keyLine returns the 1-based line of a top-level key within front matter,
// or 1 when it cannot be found.
func keyLine(raw []byte, format, key string) int {
	sep := ":"
	if format == "toml" {
		sep = "="
	}
	for i, l := range strings.Split(string(raw), "\n") {
		if format == "toml" {
			l = strings.TrimLeft(l, " \t")
		}
		l = strings.TrimLeft(l, `"'`)
		if rest, ok := strings.CutPrefix(l, key); ok {
			rest = strings.TrimLeft(strings.TrimLeft(rest, `"'`), " \t")
			if strings.HasPrefix(rest, sep) {
				return i + 1
			}
		}
	}
	return 1
}

func dateValue(v any) (Date, error) {
	switch t := v.(type) {
	case time.Time:
		return DateOf(t), nil
	case string:
		return ParseDate(strings.TrimSpace(t))
	}
	return Date{}, fmt.Errorf("want a date YYYY-MM-DD, not %s", describe(v))
}

func intValue(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case uint64:
		return int(n), n < 1<<31
	case float64:
		return int(n), n == float64(int(n))
	}
	return 0, false
}

func stringList(v any) ([]string, error) {
	switch t := v.(type) {
	case string:
		return []string{t}, nil
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return out, fmt.Errorf("want a list of strings, found %s", describe(e))
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a list of strings, not %s", describe(v))
}

// checkAlias refuses alias paths that could leave the output folder or name
// something other than a page path.
func checkAlias(a string) error {
	if a == "" {
		return errors.New("empty path")
	}
	if strings.Contains(a, "://") || strings.HasPrefix(a, "//") {
		return errors.New("must be a path on this site, not a URL")
	}
	for _, seg := range strings.Split(strings.Trim(a, "/"), "/") {
		if seg == ".." || seg == "." {
			return errors.New(`must not contain "." or ".." segments`)
		}
	}
	if strings.ContainsAny(a, "\\\x00?#") {
		return errors.New(`must not contain "\", "?", "#" or NUL`)
	}
	return nil
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case string:
		return "a string"
	case bool:
		return "true/false"
	case int, int64, uint64, float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	case time.Time:
		return "a date"
	}
	return fmt.Sprintf("a %T", v)
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// inferDefaults fills in what front matter left out.
func (d *Document) inferDefaults(rel string) {
	if d.Title == "" {
		if t, _, ok := markdown.Title(d.Body); ok {
			d.Title, d.TitleFromBody = t, true
		} else {
			d.Title = TitleFromName(rel)
		}
	}
	if d.Kind == "" {
		d.Kind = KindFromName(rel)
	}
}
