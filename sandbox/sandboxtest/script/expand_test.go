package script

import (
	"errors"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	values := map[reference]string{
		{client: "Ada"}:                 "ada@localhost",
		{client: "Ada", full: true}:     "ada@localhost/laptop",
		{client: "Ada's phone"}:         "ada@localhost",
		{client: "O'Brien", full: true}: "o'brien@localhost/r",
		{client: "Ada's phone's"}:       "never",
	}
	value := func(r reference) (string, error) {
		if v, ok := values[r]; ok {
			return v, nil
		}
		return "", errors.New("no such client")
	}
	tests := []struct{ text, want, err string }{
		{"<presence/>", "<presence/>", ""},
		{`to="${Ada's JID}"`, `to="ada@localhost"`, ""},
		{`${Ada's full JID} ${Ada's phone's JID}`, "ada@localhost/laptop ada@localhost", ""},
		{`to='${O'Brien's full JID}'`, `to='o&#39;brien@localhost/r'`, ""},
		{`${Ada's mood}`, "", "unknown variable ${Ada's mood}"},
		{`${Bob's JID}`, "", "no such client"},
		{`x ${Ada's JID`, "", "unclosed ${"},
		{`$ and {} stay`, `$ and {} stay`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got, err := expand(tc.text, value)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("expand = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
