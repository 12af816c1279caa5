"""Helpers shared by the slixmpp interoperability scripts.

Each script logs in one or more slixmpp clients against a running
xmppsandbox, drives them, and exits non-zero with a one-line reason on the
first expectation that does not hold. Every wait has a deadline, so a
server that never answers fails the script instead of hanging it.
"""

import argparse
import asyncio
import logging
import ssl
import sys

import slixmpp

# WAIT is how long one expectation may take to come true, in seconds.
WAIT = 10.0

xml_log = logging.getLogger("interop.xml")


class Failure(Exception):
    """Failure is an expectation that did not hold; its text says which."""


def parse_args(description, extra=None):
    """parse_args reads the server address and the log file every script takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--domain", default="localhost")
    parser.add_argument("--log", help="file for the XML of every client")
    parser.add_argument("--timeout", type=float, default=40.0,
                        help="seconds the whole script may take")
    if extra:
        extra(parser)
    return parser.parse_args()


class _NoRawLines(logging.Filter):
    """_NoRawLines drops slixmpp's own SEND/RECV lines: TracedClient logs
    the same bytes tagged with the account they belong to."""

    def filter(self, record):
        return not str(record.msg).startswith(("SEND:", "RECV:"))


def setup_logging(path):
    """setup_logging sends slixmpp's debug log and the XML to path."""
    if not path:
        logging.basicConfig(level=logging.WARNING)
        return
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_NoRawLines())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)


class TracedClient(slixmpp.ClientXMPP):
    """TracedClient is a slixmpp client that logs every byte it sends and
    receives, tagged with its account, and signals each change of state."""

    def __init__(self, jid, password):
        super().__init__(jid, password)
        self.tag = slixmpp.JID(jid).user
        self.changed = asyncio.Event()
        # The scripts answer subscription requests themselves: slixmpp's
        # defaults would approve and subscribe back on their own.
        self.auto_authorize = None
        self.auto_subscribe = False
        # The sandbox's certificate is self-signed.
        self.ssl_context.check_hostname = False
        self.ssl_context.verify_mode = ssl.CERT_NONE
        for event in ("roster_update", "presence", "message",
                      "roster_subscription_request", "session_start"):
            self.add_event_handler(event, self._signal)

    def data_received(self, data):
        xml_log.debug("%s RECV %s", self.tag, data.decode("utf-8", "replace"))
        super().data_received(data)

    def send_raw(self, data):
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        xml_log.debug("%s SEND %s", self.tag, text)
        super().send_raw(data)

    def _signal(self, _event):
        self.changed.set()


async def login(args, user, password=None, resource="interop"):
    """login connects user over STARTTLS, waits for the session, sends
    initial presence and fetches the roster (RFC 6121 §2.1.3, §4.2)."""
    client = TracedClient(f"{user}@{args.domain}/{resource}", password or user)
    started = asyncio.get_running_loop().create_future()

    def succeed(_event):
        if not started.done():
            started.set_result(True)

    def fail(reason):
        if not started.done():
            started.set_exception(Failure(f"{user}: {reason}"))

    client.add_event_handler("session_start", succeed)
    client.add_event_handler("failed_auth", lambda _: fail("authentication failed"))
    client.add_event_handler("stream_error", lambda e: fail(f"stream error: {e}"))
    client.add_event_handler("connection_failed", lambda e: fail(f"connection failed: {e}"))
    client.add_event_handler("disconnected", lambda r: fail(f"disconnected before the session started ({r})"))
    client.connect((args.host, args.port))
    await within(started, f"{user} to log in")
    client.send_presence()
    await within(client.get_roster(timeout=WAIT), f"{user}'s roster")
    return client


async def within(awaitable, what, timeout=WAIT):
    """within awaits awaitable, failing with what timed out after timeout seconds."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:
        raise Failure(f"timed out after {timeout:.0f}s waiting for {what}") from None


async def until(client, predicate, what, describe=None, timeout=WAIT):
    """until waits for predicate() to hold, re-checking whenever client
    reports a change. On timeout it fails naming what it waited for and,
    when describe is given, what describe() saw instead."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        left = deadline - loop.time()
        if left <= 0:
            seen = f"; saw {describe()}" if describe else ""
            raise Failure(f"timed out after {timeout:.0f}s waiting for {what}{seen}")
        client.changed.clear()
        try:
            # Re-check at least every 0.2s: a change may land in slixmpp's
            # state just after the event that announced it.
            await asyncio.wait_for(client.changed.wait(), min(left, 0.2))
        except asyncio.TimeoutError:
            pass


async def logout(*clients):
    """logout closes each stream, waiting briefly for the server's end."""
    for client in clients:
        try:
            await asyncio.wait_for(client.disconnect(wait=1.0), 3.0)
        except Exception:  # a stream that will not close is cut
            client.abort()


def run(name, main, args):
    """run executes main(args) within args.timeout and exits 1 on failure."""
    setup_logging(args.log)
    try:
        asyncio.run(asyncio.wait_for(main(args), args.timeout))
    except Failure as failure:
        print(f"{name}: FAIL: {failure}", file=sys.stderr)
        sys.exit(1)
    except asyncio.TimeoutError:
        print(f"{name}: FAIL: gave up after {args.timeout:.0f}s", file=sys.stderr)
        sys.exit(1)
