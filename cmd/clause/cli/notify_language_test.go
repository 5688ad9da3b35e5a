package cli

import (
	"strings"
	"testing"

	"github.com/clause-portal/clause/internal/gittest"
)

// TestNotifyTranslationsOneNotice: a document with translations is one
// notice, its source's, listing the translations, with its language; a
// channel for one language (--language de) gets the German documents' own
// notices, the others' where no German translation exists, and the
// source's where the German translation does not reflect it yet.
func TestNotifyTranslationsOneNotice(t *testing.T) {
	r := gittest.New(t)
	r.Write("clause.toml", "language = \"en\"\n")
	r.Write("content/en/dpa.md", "---\ntitle: DPA\n---\nThe processor acts on instructions.\n")
	r.Write("content/de/dpa.md", "---\ntitle: AVV\n---\nDer Auftragsverarbeiter handelt auf Weisung.\n")
	r.Write("content/fr/dpa.md", "---\ntitle: Accord\n---\nLe sous-traitant agit sur instruction.\n")
	r.Write("content/en/security.md", "---\ntitle: Security\n---\nWe encrypt.\n")
	r.Commit("2026-01-10T09:00:00Z", "Publish")
	all, de := newReceiver(t), newReceiver(t)
	env := map[string]string{"CLAUSE_WEBHOOK_SECRET": testSecret}
	base := []string{"--repo", r.Dir, "--base-url", "https://legal.example.com/", "--since", "2025-12-31"}
	run := func() {
		t.Helper()
		if code, _, errOut := notifyRunCmd(t, env, append(base, "--webhook", "all="+all.srv.URL)...); code != ExitOK {
			t.Fatalf("notify: %d %s", code, errOut)
		}
		if code, _, errOut := notifyRunCmd(t, env, append(base, "--webhook", "de="+de.srv.URL, "--language", "de")...); code != ExitOK {
			t.Fatalf("notify --language de: %d %s", code, errOut)
		}
	}
	type got struct{ key, lang, translations string }
	received := func(rc *receiver) []got {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		var out []got
		for _, ev := range rc.got {
			d := ev["data"].(map[string]any)
			var ts []string
			if list, ok := d["translations"].([]any); ok {
				for _, x := range list {
					m := x.(map[string]any)
					ts = append(ts, m["language"].(string)+"="+m["title"].(string)+"@"+m["url"].(string))
				}
			}
			out = append(out, got{strings.SplitN(d["key"].(string), "@", 2)[0], d["language"].(string), strings.Join(ts, " ")})
		}
		return out
	}
	check := func(name string, rc *receiver, want []got) {
		t.Helper()
		g := received(rc)
		if len(g) != len(want) {
			t.Fatalf("%s: received %v, want %v", name, g, want)
		}
		for i := range want {
			if g[i] != want[i] {
				t.Errorf("%s: notice %d = %+v, want %+v", name, i, g[i], want[i])
			}
		}
	}
	enDPA := got{"en/dpa", "en", "de=AVV@https://legal.example.com/de/dpa/ fr=Accord@https://legal.example.com/fr/dpa/"}
	deDPA := got{"de/dpa", "de", "en=DPA@https://legal.example.com/en/dpa/ fr=Accord@https://legal.example.com/fr/dpa/"}
	security := got{"en/security", "en", ""}

	run()
	check("all", all, []got{enDPA, security})
	check("de", de, []got{deDPA, security})

	// The English DPA and its German translation change together: one
	// notice for every language, and the German one for German readers.
	r.Write("content/en/dpa.md", "---\ntitle: DPA\n---\nThe processor acts on documented instructions.\n")
	r.Write("content/de/dpa.md", "---\ntitle: AVV\n---\nDer Auftragsverarbeiter handelt auf dokumentierte Weisung.\n")
	r.Commit("2026-02-10T09:00:00Z", "DPA: documented instructions")
	run()
	check("all", all, []got{enDPA, security, enDPA})
	check("de", de, []got{deDPA, security, deDPA})

	// The French translation follows alone: no notice for either channel.
	r.Write("content/fr/dpa.md", "---\ntitle: Accord\n---\nLe sous-traitant agit sur instruction documentée.\n")
	r.Commit("2026-02-20T09:00:00Z", "DPA (fr)")
	run()
	if n, m := len(received(all)), len(received(de)); n != 3 || m != 3 {
		t.Errorf("a French translation's version was announced: %d, %d notices", n, m)
	}

	// The English DPA changes alone: German readers learn of it the day it
	// is published, from the English notice (their translation does not
	// reflect it yet), then from the German one once it is translated.
	r.Write("content/en/dpa.md", "---\ntitle: DPA\n---\nThe processor acts on documented instructions, in writing.\n")
	r.Commit("2026-03-10T09:00:00Z", "DPA: in writing")
	run()
	check("all", all, []got{enDPA, security, enDPA, enDPA})
	check("de", de, []got{deDPA, security, deDPA, enDPA})
	r.Write("content/de/dpa.md", "---\ntitle: AVV\n---\nDer Auftragsverarbeiter handelt auf dokumentierte, schriftliche Weisung.\n")
	r.Commit("2026-03-12T09:00:00Z", "DPA (de): in writing")
	run()
	check("all", all, []got{enDPA, security, enDPA, enDPA})
	check("de", de, []got{deDPA, security, deDPA, enDPA, deDPA})

	if code, _, errOut := notifyRunCmd(t, env, append(base, "--webhook", "x="+all.srv.URL, "--language", "not a tag")...); code != ExitUsage || !strings.Contains(errOut, "BCP 47") {
		t.Errorf("--language 'not a tag': exit %d, %q", code, errOut)
	}
}
