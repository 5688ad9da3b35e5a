package portal

import (
	"fmt"
	"strings"

	"github.com/clause-portal/clause/generator/subprocessors"
)

// RegisterTableRows is the number of rows above which a sub-processor
// register page gets its table as HTML written by Clause (the template
// parameter register.table_html) instead of one parameter map per row
// (register.rows): a register of 154,000 rows made 190 MB of maps, which
// Hugo decoded into another 250 MB, for a page of 39 MB. Registers of at
// most this many rows keep register.rows, for layouts of their own.
const RegisterTableRows = 2000

// tableRows is the row threshold of p (RegisterTableRows unless a test
// set another).
func (p *pager) tableRows() int {
	if p.maxTableRows > 0 {
		return p.maxTableRows
	}
	return RegisterTableRows
}

// registerColumns are the optional columns of a register's table that
// some row fills.
func registerColumns(reg *subprocessors.Register) map[string]bool {
	cols := map[string]bool{}
	for _, r := range reg.Rows {
		if r.EntityCountry != "" {
			cols["entity_country"] = true
		}
		if r.TransferMechanism != "" {
			cols["transfer_mechanism"] = true
		}
		if safeWebsite(r.Website) != "" {
			cols["website"] = true
		}
		if r.Group != "" {
			cols["group"] = true
		}
		if len(r.DataCategories) > 0 {
			cols["data_categories"] = true
		}
	}
	if len(reg.Groups()) < 2 {
		cols["group"] = false
	}
	return cols
}

// writeRegisterRows writes the body of a register's table as the theme's
// subprocessors.html writes it from register.groups, byte for byte, with
// the same escaping (Hugo's html/template: text and quoted attributes,
// websites normalised as URLs): a <tbody> per run of rows of the same
// group, headed by the group's name when the register has groups.
func (p *pager) writeRegisterRows(b *strings.Builder, reg *subprocessors.Register, cols map[string]bool) {
	const indent = "\n        "
	span := 3
	for _, c := range []string{"entity_country", "transfer_mechanism", "data_categories"} {
		if cols[c] {
			span++
		}
	}
	for k, r := range reg.Rows {
		group := ""
		if cols["group"] {
			group = r.Group
		}
		if k == 0 || cols["group"] && reg.Rows[k-1].Group != r.Group {
			if k > 0 {
				b.WriteString("\n      </tbody>\n      ")
			}
			b.WriteString("\n      <tbody>\n        ")
			if group != "" {
				fmt.Fprintf(b, `<tr class="group-row"><th scope="rowgroup" colspan="%d">`, span)
				escapeHTML(b, group)
				b.WriteString("</th></tr>")
			}
			b.WriteString("\n        ")
		}
		b.WriteString(indent)
		eff := reg.EffectiveDate(r)
		upcoming := eff.After(p.c.Today)
		website := safeWebsite(r.Website)
		b.WriteString(`<tr data-countries="`)
		for i, code := range r.Locations {
			if i > 0 {
				b.WriteByte('|')
			}
			escapeHTML(b, subprocessors.CountryName(code))
		}
		b.WriteByte('"')
		if upcoming {
			b.WriteString(` class="upcoming-row"`)
		}
		b.WriteString(">\n          <td>")
		if website != "" {
			b.WriteString(`<a href="`)
			escapeHTML(b, normalizeURL(website))
			b.WriteString(`" rel="noopener nofollow">`)
		}
		escapeHTML(b, r.Name)
		if website != "" {
			b.WriteString("</a>")
		}
		if upcoming {
			b.WriteString(` <span class="status status-upcoming">from `)
			escapeHTML(b, p.dateStamp(eff)["display"].(string))
			b.WriteString("</span>")
		}
		b.WriteString("</td>\n          <td>")
		escapeHTML(b, r.Purpose)
		b.WriteString("</td>\n          <td>")
		escapeHTML(b, r.Location)
		b.WriteString("</td>\n          ")
		if cols["entity_country"] {
			b.WriteString("<td>")
			escapeHTML(b, r.EntityCountry)
			b.WriteString("</td>")
		}
		b.WriteString("\n          ")
		if cols["transfer_mechanism"] {
			b.WriteString("<td>")
			escapeHTML(b, r.TransferMechanism)
			b.WriteString("</td>")
		}
		b.WriteString("\n          ")
		if cols["data_categories"] {
			b.WriteString("<td>")
			escapeHTML(b, strings.Join(r.DataCategories, ", "))
			b.WriteString("</td>")
		}
		b.WriteString("\n        </tr>" + indent)
	}
	if len(reg.Rows) > 0 {
		b.WriteString("\n      </tbody>\n      ")
	}
}

// escapeHTML writes s escaped as html/template escapes a string in text
// and in a quoted attribute value.
func escapeHTML(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// normalizeURL percent-encodes what html/template's URL normaliser
// encodes in an attribute holding a URL: every byte but letters, digits,
// "-._~", "%" and the reserved characters.
func normalizeURL(s string) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~%", c) >= 0:
			continue
		}
		b.WriteString(s[written:i])
		fmt.Fprintf(&b, "%%%02x", c)
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}
