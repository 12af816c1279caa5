package xclient

import "testing"

func TestElementHelpers(t *testing.T) {
	el := []byte(`<presence from='hub@localhost/load' xml:lang="en" type='unavailable'><status>12</status></presence>`)
	if got := string(Name(el)); got != "presence" {
		t.Errorf("name = %q", got)
	}
	tests := []struct{ key, want string }{
		{"from", "hub@localhost/load"},
		{"type", "unavailable"},
		{"lang", ""}, // only a whole attribute name matches
		{"xml:lang", "en"},
		{"to", ""},
	}
	for _, tt := range tests {
		if got := string(Attr(el, tt.key)); got != tt.want {
			t.Errorf("attr(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
	if got := string(ChildText(el, "<status>")); got != "12" {
		t.Errorf("status = %q", got)
	}
	if got := ChildText(el, "<body>"); got != nil {
		t.Errorf("body = %q, want none", got)
	}
}
