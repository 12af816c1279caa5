package load

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

func TestScenariosRefuseBadParametersBeforeDialling(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := Config{Addr: ln.Addr().String(), PID: 1}
	with := func(change func(*Config)) Config {
		c := cfg
		change(&c)
		return c
	}
	tests := []struct {
		name string
		run  func() Result
		want string
	}{
		{"login without logins", func() Result { return Login(cfg, 0, 1, 0) }, "--logins 0: want at least 1"},
		{"login with negative parallel", func() Result { return Login(cfg, 1, -2, 0) }, "--parallel -2: want 0 or more"},
		{"login with negative user count", func() Result { return Login(cfg, 1, 1, -1) }, "--user-count -1: want 0 or more"},
		{"address without port", func() Result { return Login(with(func(c *Config) { c.Addr = "localhost" }), 1, 1, 0) }, "--addr localhost: want HOST:PORT"},
		{"negative first user", func() Result { return Login(with(func(c *Config) { c.First = -1 }), 1, 1, 0) }, "--first -1: want 0 or more"},
		{"negative pid", func() Result { return Login(with(func(c *Config) { c.PID = -5 }), 1, 1, 0) }, "--pid -5: want 0 or more"},
		{"msg without pairs", func() Result { return Messages(cfg, 0, 1, 0) }, "--pairs 0: want at least 1"},
		{"msg without messages", func() Result { return Messages(cfg, 1, 0, 0) }, "--messages 0: want at least 1"},
		{"msg with negative window", func() Result { return Messages(cfg, 1, 1, -1) }, "--window -1: want 0 or more"},
		{"fanout with negative contacts", func() Result { return Fanout(cfg, "hub", "", -1, 1) }, "--contacts -1: want at least 1"},
		{"fanout without rounds", func() Result { return Fanout(cfg, "hub", "", 1, 0) }, "--rounds 0: want at least 1"},
		{"fanout without hub", func() Result { return Fanout(cfg, "", "", 1, 1) }, "--hub must name"},
		{"idle without connections", func() Result { return Idle(cfg, 0) }, "--conns 0: want at least 1"},
		{"idle without pid", func() Result { return Idle(with(func(c *Config) { c.PID = 0 }), 1) }, "(--pid)"},
		{"ready without command", func() Result { return Ready(context.Background(), cfg, "", 1) }, "(--exec)"},
		{"ready without starts", func() Result { return Ready(context.Background(), cfg, "true", 0) }, "--repeat 0: want at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.run()
			var bad *ParamError
			if !errors.As(r.Err, &bad) || !strings.Contains(r.Err.Error(), tt.want) {
				t.Errorf("error %v, want a ParamError with %q", r.Err, tt.want)
			}
		})
	}
	// A connection a scenario made would be waiting in the listener's
	// queue by now: the deadline only bounds the wait when there is none.
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(200 * time.Millisecond))
	if c, err := ln.Accept(); err == nil {
		c.Close()
		t.Error("a refused scenario connected to the server")
	}
}
