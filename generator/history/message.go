package history

import (
	"fmt"
	"net/textproto"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Commit messages have no size limit in git, but their subjects end up in
// every page, feed entry and notice of the versions they make: Clause caps
// them where it reads them (parseCommit), so that the history cache, the
// portal and the notices all see the capped form.
const (
	// MaxSubject is the size in bytes above which a commit subject (or a
	// merge commit's pull request title) is cut, with a note saying so.
	MaxSubject = 1000
	// MaxBody is the size in bytes above which the body of a commit
	// message is cut, with a note saying so on a line of its own.
	MaxBody = 64 << 10
	// maxTrailers is the size up to which the last paragraph of a message
	// whose body is cut is kept: its trailer block (Change-Type).
	maxTrailers = 4 << 10
)

// truncatedNote is the note that ends a cut subject or body.
func truncatedNote(what string, size int) string {
	return fmt.Sprintf("… [truncated by Clause: the %s is %d bytes]", what, size)
}

// cutUTF8 returns the longest prefix of s of at most n bytes that does not
// split a UTF-8 sequence.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// capMessage returns a commit message whose subject paragraph is at most
// MaxSubject bytes and whose body (all after it) at most MaxBody bytes plus
// the last paragraph if that is short (its trailers), each cut with a note
// giving the message's size. A message within the caps is returned as it
// is.
func capMessage(msg string) string {
	if len(msg) <= MaxSubject {
		return msg
	}
	// The subject paragraph: from the first non-blank line to the next
	// blank one, as parseMessage reads it.
	start := 0
	for start < len(msg) {
		end := lineEnd(msg, start)
		if strings.TrimSpace(msg[start:end]) != "" {
			break
		}
		start = min(end+1, len(msg))
	}
	stop := start
	for stop < len(msg) {
		end := lineEnd(msg, stop)
		if strings.TrimSpace(msg[stop:end]) == "" {
			break
		}
		stop = min(end+1, len(msg))
	}
	subject, rest := msg[start:stop], msg[stop:]
	if len(strings.TrimSpace(subject)) > MaxSubject {
		subject = cutUTF8(strings.TrimSpace(subject), MaxSubject) + " " + truncatedNote("commit message", len(msg)) + "\n"
	}
	if len(strings.TrimSpace(rest)) > MaxBody {
		trailers := ""
		trimmed := strings.TrimRight(rest, " \t\r\n")
		if i := strings.LastIndex(trimmed, "\n\n"); i >= 0 && len(trimmed)-i <= maxTrailers {
			trailers = trimmed[i:] + "\n"
			rest = trimmed[:i]
		}
		rest = cutUTF8(rest, MaxBody) + "\n" + truncatedNote("commit message", len(msg)) + "\n" + trailers
	}
	return subject + rest
}

// lineEnd returns the index of the end of the line starting at i: its
// newline, or the end of s.
func lineEnd(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(s)
}

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
// %s, the subject is the first paragraph joined into one line. A
// "Summary:" trailer, the summary written for readers, wins over both.
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
				if len(l) > MaxSubject {
					m.subject = cutUTF8(l, MaxSubject) + " " + truncatedNote("pull request title", len(l))
				}
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
	// A "Summary:" trailer is the change summary written for readers: it
	// wins over the subject (and a pull request's title).
	if vals := trailers["Summary"]; len(vals) > 0 {
		if sum := strings.Join(strings.Fields(strings.Join(vals, " ")), " "); sum != "" {
			m.subject = sum
			if len(sum) > MaxSubject {
				m.subject = cutUTF8(sum, MaxSubject) + " " + truncatedNote("summary", len(sum))
			}
		}
	}
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
