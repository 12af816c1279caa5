package stanza

import "encoding/xml"

func xmlAttr(space, local, value string) xml.Attr {
	return xml.Attr{Name: xml.Name{Space: space, Local: local}, Value: value}
}
