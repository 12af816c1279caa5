package xclient

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestScannerSplitsTopLevelElements(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
		end   error
	}{
		{
			name:  "empty and nested",
			input: "<presence/><message to='a'><body>1</body></message>",
			want:  []string{"<presence/>", "<message to='a'><body>1</body></message>"},
		},
		{
			name:  "whitespace between elements is not part of them",
			input: "\n <iq type='result' id='1'/>\n\t<presence><show>away</show></presence> ",
			want:  []string{"<iq type='result' id='1'/>", "<presence><show>away</show></presence>"},
		},
		{
			name:  "a quoted > and / do not end a tag",
			input: `<message to="a>b" id='x/'><body>2</body></message><presence from='c/d'/>`,
			want:  []string{`<message to="a>b" id='x/'><body>2</body></message>`, "<presence from='c/d'/>"},
		},
		{
			name:  "a comment holding markup is skipped over",
			input: "<message><!-- <b> --><body>3</body></message>",
			want:  []string{"<message><!-- <b> --><body>3</body></message>"},
		},
		{
			name:  "the closing stream tag ends the stream",
			input: "<presence/></stream:stream>",
			want:  []string{"<presence/>"},
			end:   ErrClosed,
		},
		{
			name:  "a restarted stream's header is skipped",
			input: "<stream:stream xmlns='jabber:client' version='1.0'><stream:features/>",
			want:  []string{"<stream:features/>"},
		},
		{
			name:  "a cut element is an unexpected end",
			input: "<message><body>4</bo",
			end:   io.ErrUnexpectedEOF,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := NewScanner(bufio.NewReader(strings.NewReader(tt.input)))
			for i, want := range tt.want {
				got, err := sc.Next()
				if err != nil {
					t.Fatalf("element %d: %v", i, err)
				}
				if string(got) != want {
					t.Fatalf("element %d = %q, want %q", i, got, want)
				}
			}
			end := tt.end
			if end == nil {
				end = io.ErrUnexpectedEOF
			}
			if _, err := sc.Next(); !errors.Is(err, end) {
				t.Fatalf("after the elements: %v, want %v", err, end)
			}
		})
	}
}

func TestScannerAllocatesNothingPerElement(t *testing.T) {
	one := "<message type='chat' to='user2@localhost/load'><body>123456789</body></message>"
	input := strings.Repeat(one, 200)
	sc := NewScanner(bufio.NewReader(strings.NewReader(input)))
	sc.Next() // the buffer grows once
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := sc.Next(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per element, want 0", allocs)
	}
}

func TestScannerEndsAtAStreamError(t *testing.T) {
	tests := []struct {
		name, input, condition string
	}{
		{"conflict", "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>", "conflict"},
		{"with text and whitespace", "<stream:error>\n  <system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bye</text></stream:error>", "system-shutdown"},
		{"no condition", "<stream:error></stream:error>", ""},
		{"empty element", "<stream:error/>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := NewScanner(bufio.NewReader(strings.NewReader("<presence/>" + tt.input)))
			if el, err := sc.Next(); err != nil || string(el) != "<presence/>" {
				t.Fatalf("first element: %q, %v", el, err)
			}
			_, err := sc.Next()
			var se *StreamError
			if !errors.As(err, &se) || se.Condition != tt.condition {
				t.Fatalf("got %v, want a stream error with condition %q", err, tt.condition)
			}
		})
	}
}
