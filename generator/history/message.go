package history

import (
	"net/textproto"
	"regexp"
	"strings"
)

// message is a parsed commit message.
type message struct {
	subject    string // change summary (the pull request title of a merge)
	rawSubject string
	body       string
	trailers   map[string][]string
}

// material reports whether the message marks a material change: false only
// when it has Change-Type trailers and all of them say "minor".
func (m *message) material() bool {
	vals := m.trailers["Change-Type"]
	if len(vals) == 0 {
		return true
	}
	for _, v := range vals {
		if !strings.EqualFold(strings.TrimSpace(v), "minor") {
			return true
		}
	}
	return false
}

// Merge commit subjects written by code hosts, whose body starts with the
// merged pull request's title.
var (
	githubMerge    = regexp.MustCompile(`^Merge pull request #\d+ from \S+`)
	gitlabMerge    = regexp.MustCompile(`^Merge branch '.*' into '.*'`)
	bitbucketMerge = regexp.MustCompile(`^Merged in \S+ \(pull request #\d+\)`)
	azureMerge     = regexp.MustCompile(`^Merged PR \d+: (.+)$`)
)

// parseMessage splits a commit message into subject, body and trailers. For a
// merge commit written by GitHub ("Merge pull request #12 from user/branch"),
// GitLab ("Merge branch 'x' into 'main'") or Bitbucket, the subject is the
// pull request title: the first non-empty line of the body (not a GitLab
// "See merge request" line), which is then left out of the body. Like git's
// %s, the subject is the first paragraph joined into one line.
func parseMessage(msg string, merge bool) message {
	msg = strings.ReplaceAll(msg, "\r\n", "\n")
	lines := strings.Split(strings.TrimRight(msg, " \t\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	var subj []string
	for len(lines) > 0 && strings.TrimSpace(lines[0]) != "" {
		subj = append(subj, strings.TrimSpace(lines[0]))
		lines = lines[1:]
	}
	m := message{rawSubject: strings.Join(subj, " ")}
	m.subject = m.rawSubject

	body, trailers := splitTrailers(lines)
	m.trailers = trailers

	if merge {
		switch {
		case githubMerge.MatchString(m.rawSubject), gitlabMerge.MatchString(m.rawSubject),
			bitbucketMerge.MatchString(m.rawSubject):
			for i, l := range body {
				l = strings.TrimSpace(l)
				if l == "" || strings.HasPrefix(l, "See merge request ") {
					continue
				}
				m.subject = l
				body = append(body[:i:i], body[i+1:]...)
				break
			}
		default:
			if sm := azureMerge.FindStringSubmatch(m.rawSubject); sm != nil {
				m.subject = strings.TrimSpace(sm[1])
			}
		}
	}
	m.body = strings.TrimSpace(strings.Join(body, "\n"))
	return m
}

// gitGeneratedTrailers are trailer prefixes that let a block count as a
// trailer block with only 25% trailer lines, as in git interpret-trailers.
var gitGeneratedTrailers = []string{"Signed-off-by: ", "(cherry picked from commit "}

// splitTrailers finds the trailer block (the last paragraph, if it consists
// of "Key: value" lines, continuation lines starting with white space) and
// returns the lines before it and the parsed trailers with canonical keys.
func splitTrailers(lines []string) ([]string, map[string][]string) {
	end := len(lines)
	start := end
	for start > 0 && strings.TrimSpace(lines[start-1]) != "" {
		start--
	}
	if start == end {
		return lines, nil
	}
	block := lines[start:end]
	trailers := map[string][]string{}
	var lastKey string
	nTrailers, nOther, generated := 0, 0, false
	for _, l := range block {
		if l != "" && (l[0] == ' ' || l[0] == '\t') && lastKey != "" {
			vals := trailers[lastKey]
			vals[len(vals)-1] += " " + strings.TrimSpace(l)
			continue
		}
		for _, p := range gitGeneratedTrailers {
			if strings.HasPrefix(l, p) {
				generated = true
			}
		}
		key, val, ok := parseTrailer(l)
		if !ok {
			nOther++
			lastKey = ""
			continue
		}
		nTrailers++
		lastKey = key
		trailers[key] = append(trailers[key], val)
	}
	if nTrailers == 0 || (nOther > 0 && !(generated && nTrailers*3 >= nOther)) {
		return lines, nil
	}
	return lines[:start], trailers
}

// parseTrailer parses "Key: value" where Key is letters, digits and hyphens.
func parseTrailer(l string) (key, val string, ok bool) {
	i := strings.IndexByte(l, ':')
	if i <= 0 {
		return "", "", false
	}
	key = strings.TrimRight(l[:i], " \t")
	if key == "" {
		return "", "", false
	}
	for j := 0; j < len(key); j++ {
		c := key[j]
		if !(c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return "", "", false
		}
	}
	return textproto.CanonicalMIMEHeaderKey(key), strings.TrimSpace(l[i+1:]), true
}
