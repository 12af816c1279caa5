package load

import (
	"cmp"
	"fmt"
	"net"
)

// ParamError is a scenario's parameter out of range. Scenarios return it
// before they dial anything, so a caller can tell bad input from a
// server that failed the test.
type ParamError struct{ msg string }

func (e *ParamError) Error() string { return e.msg }

// atLeast refuses a count below min, naming it as the command line does.
func atLeast(name string, got, min int) error {
	if got >= min {
		return nil
	}
	return &ParamError{fmt.Sprintf("--%s %d: %s", name, got, wantAtLeast(min))}
}

// wantAtLeast says what a count below min should have been.
func wantAtLeast(min int) string {
	if min == 0 {
		return "want 0 or more"
	}
	return fmt.Sprintf("want at least %d", min)
}

// refuse is a ParamError saying msg, unless ok.
func refuse(ok bool, msg string) error {
	if ok {
		return nil
	}
	return &ParamError{msg}
}

// begin starts a scenario's result: it checks the configuration and the
// scenario's own parameters (the errors of atLeast and refuse), the first
// refusal becoming the result's error, then fills in the defaults.
func (c Config) begin(scenario string, params ...error) (Config, Result) {
	err := cmp.Or(append([]error{c.check()}, params...)...)
	c = c.defaults()
	return c, Result{Scenario: scenario, Server: c.Server, Err: err}
}

// check refuses a configuration no scenario can run with. Zero counts
// are allowed: defaults fills them.
func (c Config) check() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return &ParamError{"--addr " + c.Addr + ": want HOST:PORT (" + err.Error() + ")"}
	}
	return cmp.Or(atLeast("first", c.First, 0), atLeast("pid", c.PID, 0), atLeast("parallel", c.Parallel, 0))
}
