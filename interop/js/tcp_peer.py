"""tcp_peer is the TCP side of the WebSocket interoperability check.

ws_client.mjs starts it. It logs admin in with slixmpp over STARTTLS,
sends initial presence and fetches the roster, then prints READY on its
standard output. When the chat message --expect arrives from the
WebSocket client's bare JID, it answers --reply to the full JID the
message came from (RFC 6121 §5.1: within a chat, a client addresses the
full JID it heard from) and prints REPLIED. It logs out once its standard input closes.
"""

import asyncio
import sys

import sandbox_client as sc

NAME = "tcp peer"


def add_flags(parser):
    """add_flags adds the message to wait for, its answer and its sender."""
    parser.add_argument("--user", default="admin")
    parser.add_argument("--sender", default="mine",
                        help="local part of the account the message comes from")
    parser.add_argument("--expect", required=True, help="body of the message to wait for")
    parser.add_argument("--reply", required=True, help="body of the answer")


def report(line):
    """report tells ws_client.mjs how far the peer got."""
    print(line, flush=True)


async def stdin_closed():
    """stdin_closed returns once the parent closes the peer's standard input."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.read()


async def await_message(client, body, sender):
    """await_message waits for a chat message with body from sender's bare JID."""
    messages = []
    client.add_event_handler("message", messages.append)

    def matching():
        return [m for m in messages if m["body"] == body and m["type"] == "chat"
                and m["from"].bare == sender]

    def seen():
        return [(str(m["from"]), m["type"], m["body"]) for m in messages] or "no message"

    await sc.until(client, matching, f"{body!r} from {sender}", seen)
    return matching()[0]


async def main(args):
    client = await sc.login(args, args.user)
    report(f"READY {client.boundjid.full}")
    sender = f"{args.sender}@{args.domain}"
    message = await await_message(client, args.expect, sender)
    client.send_message(mto=message["from"], mbody=args.reply, mtype="chat")
    report(f"REPLIED {message['from']}")
    await sc.within(stdin_closed(), "the WebSocket side to finish")
    await sc.logout(client)


if __name__ == "__main__":
    sc.run(NAME, main, sc.parse_args(__doc__.splitlines()[0], add_flags))
