package document

import (
	"path"
	"strings"
	"unicode"
)

// KindFromName infers a document's kind from its file name (and, failing
// that, its folder): "data-processing-agreement.md" is a DPA,
// "privacy-policy.md" a privacy notice, "sub-processors.md" a sub-processor
// list, and so on.
func KindFromName(rel string) Kind {
	name := normaliseName(strings.TrimSuffix(path.Base(rel), path.Ext(rel)))
	if k := kindFromWords(name); k != KindOther {
		return k
	}
	if dir := path.Dir(rel); dir != "." {
		return kindFromWords(normaliseName(path.Base(dir)))
	}
	return KindOther
}

func kindFromWords(n string) Kind {
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(n, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("subprocessor", "sub processor", "subprocessing", "vendors", "third party", "thirdparty"):
		return KindSubprocessors
	case n == "dpa" || strings.HasPrefix(n, "dpa ") || strings.HasSuffix(n, " dpa") || strings.Contains(n, " dpa ") ||
		has("data processing", "processing agreement", "processing addendum", "auftragsverarbeitung"):
		return KindDPA
	case has("cookie"):
		return KindCookies
	case has("privacy", "datenschutz", "gdpr notice", "data protection notice"):
		return KindPrivacy
	case has("security", "toms", "technical and organisational", "technical and organizational"):
		return KindSecurity
	case has("terms", "tos", "conditions", "eula", "agb", "acceptable use", "agreement", "addendum", "msa", "supplement"):
		return KindTerms
	}
	return KindOther
}

// normaliseName lower-cases a file name and turns separators into spaces.
func normaliseName(s string) string {
	s = strings.ToLower(s)
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// TitleFromName makes a title from a file name: "privacy-policy.md" →
// "Privacy Policy", "dpa.md" → "DPA".
func TitleFromName(rel string) string {
	name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	if name == "index" || name == "_index" {
		if dir := path.Dir(rel); dir != "." {
			name = path.Base(dir)
		}
	}
	words := strings.Fields(normaliseName(name))
	for i, w := range words {
		switch w {
		case "dpa", "gdpr", "tos", "eula", "sla", "toms", "ccpa", "scc", "sccs":
			words[i] = strings.ToUpper(w)
		case "and", "of", "for", "the", "to", "in", "on":
			if i > 0 {
				continue
			}
			fallthrough
		default:
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			words[i] = string(r)
		}
	}
	if len(words) == 0 {
		return "Untitled"
	}
	return strings.Join(words, " ")
}
