package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
)

// requestTimeout bounds every API call except the trace stream.
const requestTimeout = 30 * time.Second

// apiClient calls the sandbox's admin API (docs/API.md).
type apiClient struct {
	base  *url.URL
	token string
	http  *http.Client
}

// newAPIClient builds a client from the --server and --token flags.
func newAPIClient(c *cli.Context) (*apiClient, error) {
	raw := nearestString(c, "server", envServer, defaultServer)
	base, err := parseServerURL(raw)
	if err != nil {
		return nil, err
	}
	token := nearestString(c, "token", envToken, "")
	return &apiClient{base: base, token: token, http: &http.Client{}}, nil
}

// parseServerURL reads --server; "host:port" alone means http.
func parseServerURL(raw string) (*url.URL, error) {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("malformed --server URL %q: want http://HOST:PORT", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// endpoint returns the URL of an API path with its query.
func (a *apiClient) endpoint(path string, query url.Values) string {
	u := *a.base
	u.Path += path
	u.RawQuery = query.Encode()
	return u.String()
}

// send makes one request and returns the response when its status is a
// success; any other outcome becomes the error to print.
func (a *apiClient) send(ctx context.Context, method, path string, query url.Values, body io.Reader, contentType string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, a.endpoint(path, query), body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	res, err := a.http.Do(req)
	if err != nil {
		return nil, &unreachableError{server: a.base.String(), cause: err}
	}
	if res.StatusCode >= 300 {
		defer res.Body.Close()
		return nil, refusal(res)
	}
	return res, nil
}

// call sends in (JSON, raw text, or nothing) and returns the JSON answer.
func (a *apiClient) call(ctx context.Context, method, path string, in any) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	body, contentType, err := encodeBody(in)
	if err != nil {
		return nil, err
	}
	res, err := a.send(ctx, method, path, nil, body, contentType)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, &unreachableError{server: a.base.String(), cause: err}
	}
	return data, nil
}

// rawXML is a request body sent as XML text rather than as JSON.
type rawXML string

// encodeBody turns a request value into a body and its content type.
func encodeBody(in any) (io.Reader, string, error) {
	switch v := in.(type) {
	case nil:
		return nil, "", nil
	case rawXML:
		return strings.NewReader(string(v)), "application/xml; charset=utf-8", nil
	}
	data, err := json.Marshal(in)
	if err != nil {
		return nil, "", err
	}
	return bytes.NewReader(data), "application/json", nil
}

// decode reads an API answer into out; an answer of another shape means
// --server points at something that is not the sandbox, or a newer one.
func decode(data []byte, out any) error {
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("unexpected answer from the sandbox: %v: %s", err, oneLine(string(data), 200))
	}
	return nil
}

// refusal turns a non-success answer into an error: the API's own
// {"error": ...} text as is, else the status and the start of the body.
func refusal(res *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	var answer struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(data, &answer) == nil && answer.Error != "" {
		return errors.New(oneLine(answer.Error, 0))
	}
	text := oneLine(string(data), 200)
	if text == "" {
		return fmt.Errorf("the sandbox answered %s", res.Status)
	}
	return fmt.Errorf("the sandbox answered %s: %s", res.Status, text)
}

// oneLine folds text onto one line and, if max > 0, cuts it to max runes.
func oneLine(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); max > 0 && len(r) > max {
		return string(r[:max]) + "…"
	}
	return text
}

// unreachableError is a failure to talk to the server at all. It exits
// with status 2, so scripts can tell it from a refused request.
type unreachableError struct {
	server string
	cause  error
}

// Error names the server and the lowest-level cause.
func (e *unreachableError) Error() string {
	return fmt.Sprintf("xmppsandbox: cannot reach the sandbox at %s: %s (is it running?)", e.server, rootCause(e.cause))
}

// ExitCode implements cli.ExitCoder.
func (e *unreachableError) ExitCode() int { return 2 }

// rootCause returns the system's words for a network failure ("connection
// refused") rather than the whole chain of wrappers.
func rootCause(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.Error()
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err.Error()
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err.Error()
	}
	return err.Error()
}

// callResult is where a command prints the answer of its API call.
type callResult struct {
	out         *output
	printedJSON bool // --json: the answer is printed already
}

// callAPI makes a command's one API call. With --json it prints the
// answer itself, and the command prints nothing more.
func callAPI(c *cli.Context, method, path string, req any) ([]byte, *callResult, error) {
	api, err := newAPIClient(c)
	if err != nil {
		return nil, nil, err
	}
	data, err := api.call(c.Context, method, path, req)
	if err != nil {
		return nil, nil, err
	}
	res := &callResult{out: stdout(), printedJSON: nearestBool(c, "json")}
	if res.printedJSON {
		res.out.json(data)
	}
	return data, res, nil
}
