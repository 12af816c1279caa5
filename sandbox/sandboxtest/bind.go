package sandboxtest

import (
	"context"
	"encoding/xml"
	"errors"
	"io"

	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// bindResource is mellium's resource binding, asking for a chosen
// resource: the library's own feature asks the server to pick one.
func bindResource(resource string) xmpp.StreamFeature {
	f := xmpp.BindResource()
	if resource == "" {
		return f
	}
	f.Negotiate = func(ctx context.Context, session *xmpp.Session, _ interface{}) (xmpp.SessionState, io.ReadWriter, error) {
		w := session.TokenWriter()
		defer w.Close()
		req := stanza.New(stanza.NSClient, stanza.IQ, "type", "set", "id", "bind1")
		req.Append(stanza.New(stanza.NSBind, "bind").Append(stanza.New(stanza.NSBind, "resource").AppendText(resource)))
		if err := sendElement(w, req); err != nil {
			return 0, nil, err
		}
		if err := w.Flush(); err != nil {
			return 0, nil, err
		}
		r := session.TokenReader()
		defer r.Close()
		var start xml.StartElement
		for {
			tok, err := r.Token()
			if err != nil {
				return 0, nil, err
			}
			if s, ok := tok.(xml.StartElement); ok {
				start = s
				break
			}
		}
		res, err := build(r, start)
		if err != nil {
			return 0, nil, err
		}
		if res.Type() != "result" || res.ID() != "bind1" {
			return 0, nil, errors.New("bind failed: " + res.String())
		}
		j, err := jid.Parse(res.Child(stanza.NSBind, "bind").ChildText("jid"))
		if err != nil {
			return 0, nil, err
		}
		session.UpdateAddr(j)
		return xmpp.Ready, nil, nil
	}
	return f
}
