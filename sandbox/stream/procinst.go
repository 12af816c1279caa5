package stream

import "strings"

// procInst reads a processing instruction from its target at i to its
// "?>". An XML declaration (target xml) is checked even where it is then
// refused: a stream is XML 1.0 in UTF-8 (RFC 6120 §11.5, §11.6).
func (r *Reader) procInst(i int) (xmlDecl bool, n int, err error) {
	end, err := r.scanName(i)
	if err != nil {
		return false, 0, err
	}
	target := r.window()[i:end]
	switch {
	case len(target) == 0:
		return false, 0, errorf(NotWellFormed, "expected target name after <?")
	case !validName(target):
		return false, 0, errorf(NotWellFormed, "invalid XML name: "+string(target))
	}
	xmlDecl = string(target) == "xml"
	if i, err = r.skipSpace(end); err != nil {
		return false, 0, err
	}
	start := i
	var prev byte
	for ; ; i++ {
		c, err := r.byteAt(i)
		if err != nil {
			return false, 0, midToken(err)
		}
		if prev == '?' && c == '>' {
			break
		}
		prev = c
	}
	if xmlDecl {
		err = checkDeclaration(string(r.window()[start : i-1]))
	}
	return xmlDecl, i + 1, err
}

// checkDeclaration refuses an XML version other than 1.0 and an encoding
// other than UTF-8.
func checkDeclaration(content string) error {
	if v := declParam(content, "version"); v != "" && v != "1.0" {
		return errorf(NotWellFormed, "only XML 1.0 is supported")
	}
	if e := declParam(content, "encoding"); e != "" && !strings.EqualFold(e, "utf-8") {
		return errorf(UnsupportedEncoding, "only UTF-8 is supported")
	}
	return nil
}

// declParam finds the value of param in a declaration's content: the
// first param= followed by a quote, up to the same quote. This is as
// loose as encoding/xml was, so the same declarations pass.
func declParam(content, param string) string {
	key := param + "="
	for i := 0; ; {
		k := strings.Index(content[i:], key)
		if k < 0 {
			return ""
		}
		q := i + k + len(key)
		if q >= len(content) {
			return ""
		}
		if c := content[q]; c == '\'' || c == '"' {
			end := strings.IndexByte(content[q+1:], c)
			if end < 0 {
				return ""
			}
			return content[q+1 : q+1+end]
		}
		i = q + 1
	}
}
