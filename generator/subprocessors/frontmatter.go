package subprocessors

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/clause-portal/clause/generator/document"
	yaml "go.yaml.in/yaml/v3"
)

// frontMatterKey is the front matter key that holds structured rows.
const frontMatterKey = "subprocessors"

// fmLines locates the parts of the front matter list in the file.
type fmLines struct {
	key    int              // line of the "subprocessors" key
	items  []int            // line of each item
	fields []map[string]int // line of each key of each item
}

func (l fmLines) item(i int) int {
	if i < len(l.items) && l.items[i] > 0 {
		return l.items[i]
	}
	return l.key
}

func (l fmLines) field(i int, key string) int {
	if i < len(l.fields) {
		if n, ok := l.fields[i][key]; ok {
			return n
		}
	}
	return l.item(i)
}

// fromFrontMatter reads the rows of the front matter key "subprocessors".
// present is false when the document has no such key. line is the file
// line of the key.
func fromFrontMatter(doc *document.Document) (rows []Row, line int, present bool, problems []Problem) {
	v, present := doc.Params[frontMatterKey]
	if !present {
		return nil, 0, false, nil
	}
	lines := locateFrontMatter(doc)
	report := func(line int, sev Severity, format string, args ...any) {
		problems = append(problems, Problem{Path: doc.Path, Line: line, Severity: sev, Msg: fmt.Sprintf(format, args...)})
	}
	var items []any
	switch t := v.(type) {
	case nil:
	case []any:
		items = t
	case []map[string]any:
		for _, m := range t {
			items = append(items, m)
		}
	default:
		report(lines.key, Error, "subprocessors must be a list of mappings (name, purpose, location, …), not %s", describe(v))
		return nil, lines.key, true, problems
	}
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			report(lines.item(i), Error, "subprocessors: item %d must be a mapping with name, purpose, location…, not %s", i+1, describe(it))
			continue
		}
		row := Row{Line: lines.item(i)}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			field := fieldFor(k)
			at := lines.field(i, k)
			if field == "" {
				report(at, Warning, "subprocessors: unknown field %q (known: %s)", k, strings.Join(fieldOrder, ", "))
				continue
			}
			if err := setValue(&row, field, m[k]); err != nil {
				report(at, Error, "subprocessors: %s: %v", k, err)
			}
		}
		rows = append(rows, row)
	}
	return rows, lines.key, true, problems
}

// setValue stores a decoded front matter value in a row field.
func setValue(r *Row, field string, v any) error {
	if field == FieldDataCategories {
		if list, ok := v.([]any); ok {
			r.DataCategories = nil
			for _, e := range list {
				s, ok := scalarText(e)
				if !ok {
					return fmt.Errorf("want a list of text, found %s", describe(e))
				}
				if s = cleanText(s); s != "" {
					r.DataCategories = append(r.DataCategories, s)
				}
			}
			return nil
		}
	}
	s, ok := scalarText(v)
	if !ok {
		return fmt.Errorf("want text, not %s", describe(v))
	}
	return setField(r, field, s)
}

// scalarText converts a decoded scalar to text.
func scalarText(v any) (string, bool) {
	switch t := v.(type) {
	case nil:
		return "", true
	case string:
		return t, true
	case int, int64, uint64, float64:
		return fmt.Sprint(t), true
	case time.Time:
		return document.DateOf(t).String(), true
	}
	return "", false
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case string:
		return "text"
	case bool:
		return "true/false"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("a %T", v)
}

// locateFrontMatter finds the file lines of the list, its items and their
// keys, from a YAML node tree or, for TOML, from "[[subprocessors]]"
// tables.
func locateFrontMatter(doc *document.Document) fmLines {
	base := doc.FrontMatterLine - 1
	if isTOML(doc.Source) {
		return locateTOML(doc.FrontMatter, base)
	}
	var root yaml.Node
	l := fmLines{key: doc.FrontMatterLine}
	if yaml.Unmarshal(doc.FrontMatter, &root) != nil || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return l
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != frontMatterKey {
			continue
		}
		l.key = base + m.Content[i].Line
		seq := m.Content[i+1]
		if seq.Kind != yaml.SequenceNode {
			break
		}
		for _, it := range seq.Content {
			l.items = append(l.items, base+it.Line)
			fields := map[string]int{}
			if it.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(it.Content); j += 2 {
					fields[it.Content[j].Value] = base + it.Content[j].Line
				}
			}
			l.fields = append(l.fields, fields)
		}
		break
	}
	return l
}

var (
	tomlTable = regexp.MustCompile(`^\s*\[\[\s*"?` + frontMatterKey + `"?\s*\]\]`)
	tomlKey   = regexp.MustCompile(`^\s*"?([A-Za-z0-9_-]+)"?\s*=`)
	tomlHead  = regexp.MustCompile(`^\s*\[`)
	tomlList  = regexp.MustCompile(`^\s*"?` + frontMatterKey + `"?\s*=`)
)

func locateTOML(raw []byte, base int) fmLines {
	l := fmLines{key: base + 1}
	in := false
	for i, line := range strings.Split(string(raw), "\n") {
		switch {
		case tomlTable.MatchString(line):
			if len(l.items) == 0 {
				l.key = base + i + 1
			}
			l.items = append(l.items, base+i+1)
			l.fields = append(l.fields, map[string]int{})
			in = true
		case tomlHead.MatchString(line):
			in = false
		case tomlList.MatchString(line) && len(l.items) == 0:
			l.key = base + i + 1
		case in:
			if m := tomlKey.FindStringSubmatch(line); m != nil {
				l.fields[len(l.fields)-1][m[1]] = base + i + 1
			}
		}
	}
	return l
}

// isTOML reports whether a document's front matter is TOML ("+++" or
// "---toml" delimiters).
func isTOML(src []byte) bool {
	rest := strings.TrimPrefix(string(src), "\xef\xbb\xbf")
	for rest != "" {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if t := strings.TrimSpace(line); t != "" {
			return t == "+++" || t == "---toml"
		}
	}
	return false
}
