-- Prosody for the side-by-side comparison: one virtual host on loopback,
-- internal storage with plain-text passwords (no hashing per login, as
-- the sandbox's fixtures), PLAIN allowed without TLS, shapers raised.
-- compare.sh replaces the @NAMES@ before starting it.
run_as_root = true
daemonize = false
pidfile = "@DIR@/prosody.pid"
data_path = "@DIR@/data"
log = { warn = "@DIR@/prosody.log" }
network_backend = "epoll"

interfaces = { "127.0.0.1" }
c2s_ports = { @PORT@ }
c2s_interfaces = { "127.0.0.1" }
s2s_ports = { }
http_ports = { }
https_ports = { }
c2s_direct_tls_ports = { }
admin_socket = "@DIR@/admin.sock"

authentication = "internal_plain"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
storage = "internal"

modules_enabled = {
	"roster"; "saslauth"; "disco"; "ping"; "version"; "offline"; "limits";
}
modules_disabled = { "s2s"; "tls"; "posix" }

-- The default c2s shaper (10 kB/s) throttles a load test, not a client.
limits = {
	c2s = { rate = "100mb/s"; burst = "10s" };
}
c2s_stanza_size_limit = 262144

VirtualHost "@DOMAIN@"
