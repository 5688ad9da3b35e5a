package notify

import (
	"bytes"
	"net/mail"
)

// PlainText returns the plain-text part of the email that would announce
// batch, from a portal titled portalTitle and a sender named sender: what
// clause review shows a pull request's reviewers of the notice its merge
// would send. It sends nothing.
func PlainText(portalTitle, sender string, batch []Notice) (string, error) {
	e := &Email{portalTitle: portalTitle, from: &mail.Address{Name: sender}}
	var b bytes.Buffer
	if err := textTemplate.Execute(&b, e.view(batch)); err != nil {
		return "", err
	}
	return b.String(), nil
}
