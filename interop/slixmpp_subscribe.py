"""slixmpp_subscribe checks a mutual presence subscription through xmppsandbox.

lihengz and admin start as strangers and log in with slixmpp. lihengz
subscribes to admin, admin approves, admin subscribes back, lihengz
approves (RFC 6121 §3.1). After each step both rosters, as slixmpp built
them from the server's roster pushes, must show the states RFC 6121
Appendix A names; at the end each must see the other available.
"""

import sandbox_client as sc

NAME = "slixmpp subscribe"

# ABSENT stands for "no roster item, or one with subscription none and no
# pending request": RFC 6121 §3.1.3 leaves it to the contact's server
# whether an item appears before the user approves.
ABSENT = "absent"


def view(client, contact):
    """view is client's roster item for contact as (subscription, ask)."""
    if not client.client_roster.has_jid(contact):
        return ABSENT
    item = client.client_roster[contact]
    return (item["subscription"], "subscribe" if item["pending_out"] else None)


def shows(client, contact, want):
    """shows tells whether client's view of contact is want."""
    seen = view(client, contact)
    if want == ABSENT:
        return seen in (ABSENT, ("none", None))
    return seen == want


async def expect_item(client, contact, want):
    """expect_item waits until client's roster shows contact as want."""
    await sc.until(client, lambda: shows(client, contact, want),
                   f"{client.tag}'s roster to show {contact} as {want}",
                   lambda: view(client, contact))


def watch_requests(client):
    """watch_requests lists the bare JIDs client gets subscription requests from."""
    senders = []
    client.add_event_handler("roster_subscription_request",
                             lambda presence: senders.append(presence["from"].bare))
    return senders


async def expect_request(client, senders, contact):
    """expect_request waits until senders, from watch_requests, has contact."""
    await sc.until(client, lambda: contact in senders,
                   f"{client.tag} to receive a subscription request from {contact}",
                   lambda: senders or "none")


async def step(number, text, checks):
    """step runs the roster checks of one step and prints it."""
    for client, contact, want in checks:
        await expect_item(client, contact, want)
    seen = "; ".join(f"{c.tag} sees {contact.split('@')[0]} as {fmt(view(c, contact))}"
                     for c, contact, _ in checks)
    print(f"{NAME}: step {number}: {text}: {seen}")


def fmt(item):
    """fmt renders a roster view the way the steps print it."""
    if item == ABSENT:
        return "no item"
    subscription, ask = item
    return subscription + (f" ask={ask}" if ask else "")


async def expect_available(client, contact):
    """expect_available waits until client has an available resource of contact."""
    def online():
        return client.client_roster.has_jid(contact) and bool(client.client_roster[contact].resources)

    await sc.until(client, online, f"{client.tag} to see {contact} available")


async def main(args):
    lihengz_jid, admin_jid = f"lihengz@{args.domain}", f"admin@{args.domain}"
    lihengz = await sc.login(args, "lihengz")
    admin = await sc.login(args, "admin")
    requests_to = {lihengz: watch_requests(lihengz), admin: watch_requests(admin)}
    await step(0, "both logged in", [(lihengz, admin_jid, ABSENT), (admin, lihengz_jid, ABSENT)])

    lihengz.send_presence(pto=admin_jid, ptype="subscribe")
    await expect_request(admin, requests_to[admin], lihengz_jid)
    await step(1, "lihengz subscribed to admin", [
        (lihengz, admin_jid, ("none", "subscribe")), (admin, lihengz_jid, ABSENT)])

    admin.send_presence(pto=lihengz_jid, ptype="subscribed")
    await step(2, "admin approved", [
        (lihengz, admin_jid, ("to", None)), (admin, lihengz_jid, ("from", None))])

    admin.send_presence(pto=lihengz_jid, ptype="subscribe")
    await expect_request(lihengz, requests_to[lihengz], admin_jid)
    await step(3, "admin subscribed to lihengz", [
        (admin, lihengz_jid, ("from", "subscribe")), (lihengz, admin_jid, ("to", None))])

    lihengz.send_presence(pto=admin_jid, ptype="subscribed")
    await step(4, "lihengz approved", [
        (lihengz, admin_jid, ("both", None)), (admin, lihengz_jid, ("both", None))])

    await expect_available(lihengz, admin_jid)
    await expect_available(admin, lihengz_jid)
    print(f"{NAME}: each sees the other available")
    await sc.logout(lihengz, admin)


if __name__ == "__main__":
    sc.run(NAME, main, sc.parse_args(__doc__.splitlines()[0]))
