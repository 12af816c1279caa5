// Package subscription holds the presence subscription rules of RFC 6121
// §3 and Appendix A as pure functions: given the stored state of one roster
// item and one subscription stanza, it says what the new state is and what
// the server must do. It performs no I/O; a separate layer stores items,
// pushes them and routes stanzas.
//
// Each roster item is seen from its owner: "To" means the owner receives the
// contact's presence, "From" means the contact receives the owner's. Out
// handles a stanza the owner sends to the contact; In handles one that
// arrives for the owner from the contact.
package subscription
