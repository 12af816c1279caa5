"""slixmpp_message checks one-to-one chat through xmppsandbox.

admin logs in with slixmpp and sends initial presence; then a message goes
to admin's bare JID, from mine's slixmpp client or, with --sender
go-sendxmpp, from Debian's go-sendxmpp logged in as mine. admin must
receive it on its resource (RFC 6121 §8.5.2.1.1: a message to a bare JID
goes to the available resources with non-negative priority).
"""

import asyncio
import logging
import uuid

import sandbox_client as sc

SENDER_TIMEOUT = 15.0


def add_flags(parser):
    """add_flags adds the choice of sending client."""
    parser.add_argument("--sender", choices=("slixmpp", "go-sendxmpp"), default="slixmpp")


class Inbox:
    """Inbox collects the chat messages a client receives."""

    def __init__(self, client):
        self.client = client
        self.messages = []
        client.add_event_handler("message", self.messages.append)

    async def expect(self, body, sender):
        """expect waits for a message with body from sender's bare JID."""
        def arrived():
            return any(self._matches(m, body, sender) for m in self.messages)

        def seen():
            return [(str(m["from"]), m["type"], m["body"]) for m in self.messages] or "no message"

        await sc.until(self.client, arrived, f"admin to receive {body!r} from {sender}", seen)

    @staticmethod
    def _matches(message, body, sender):
        return (message["body"] == body and message["type"] == "chat"
                and message["from"].bare == sender)


async def send_with_slixmpp(args, body):
    """send_with_slixmpp logs mine in and sends body to admin's bare JID."""
    mine = await sc.login(args, "mine")
    mine.send_message(mto=f"admin@{args.domain}", mbody=body, mtype="chat")
    return mine


async def send_with_go_sendxmpp(args, body):
    """send_with_go_sendxmpp runs go-sendxmpp as mine over STARTTLS with
    certificate checks off (-n) against the sandbox's address (-j)."""
    command = ["go-sendxmpp", "--debug", "--no-tls-verify",
               "--jserver", f"{args.host}:{args.port}",
               "--username", f"mine@{args.domain}", "--password", "mine",
               "--timeout", "5", f"admin@{args.domain}"]
    proc = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        output, _ = await asyncio.wait_for(proc.communicate(body.encode()), SENDER_TIMEOUT)
    except asyncio.TimeoutError:
        proc.kill()
        await proc.wait()
        raise sc.Failure(f"go-sendxmpp did not finish in {SENDER_TIMEOUT:.0f}s") from None
    text = output.decode("utf-8", "replace")
    logging.getLogger("interop.go-sendxmpp").debug("output:\n%s", text)
    if proc.returncode != 0:
        last = text.strip().splitlines()[-1:] or ["no output"]
        raise sc.Failure(f"go-sendxmpp exited {proc.returncode}: {last[0]}")
    return None


async def main(args):
    admin = await sc.login(args, "admin")
    inbox = Inbox(admin)
    body = f"hello admin, {args.sender} here ({uuid.uuid4().hex[:8]})"
    if args.sender == "slixmpp":
        sender = await send_with_slixmpp(args, body)
    else:
        sender = await send_with_go_sendxmpp(args, body)
    await inbox.expect(body, f"mine@{args.domain}")
    print(f"{args.sender} message: admin received {body!r} from mine via {args.sender}")
    await sc.logout(*[c for c in (sender, admin) if c])


if __name__ == "__main__":
    arguments = sc.parse_args(__doc__.splitlines()[0], add_flags)
    sc.run(f"{arguments.sender} message", main, arguments)
