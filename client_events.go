package main

import (
	"bufio"
	"io"
	"strings"
)

// readEvents reads a text/event-stream and calls fn with the data of each
// event, its data lines joined by newlines (HTML Living Standard, "Server-
// sent events", §9.2.6). Other fields and comments are ignored. It returns
// nil at the end of the stream, or the first error.
func readEvents(r io.Reader, fn func(data string) error) error {
	br := bufio.NewReader(r)
	var data []string
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "" && len(data) > 0:
			if err := fn(strings.Join(data, "\n")); err != nil {
				return err
			}
			data = nil
		case strings.HasPrefix(line, "data:"):
			value := strings.TrimPrefix(line, "data:")
			data = append(data, strings.TrimPrefix(value, " "))
		}
	}
}
