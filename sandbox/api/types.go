package api

// Status describes the running server.
type Status struct {
	Domain       string    `json:"domain"`
	Version      string    `json:"version"`
	Users        int       `json:"users"`
	Sessions     int       `json:"sessions"`
	Listeners    Listeners `json:"listeners"`
	FixtureDir   string    `json:"fixture_dir"`
	FixtureFiles []string  `json:"fixture_files"`
	FixtureError string    `json:"fixture_error,omitempty"`
	Uptime       string    `json:"uptime"`
}

// Listeners are the addresses the server listens on.
type Listeners struct {
	C2S  string `json:"c2s"`
	HTTP string `json:"http"`
}

// User is an account.
type User struct {
	Name       string `json:"name"`
	JID        string `json:"jid"`
	AutoAccept bool   `json:"auto_accept"`
	Fixture    bool   `json:"fixture"`
	Online     int    `json:"online"`
}

// Roster is a user's roster.
type Roster struct {
	Owner string `json:"owner"`
	Ver   string `json:"ver"`
	Items []Item `json:"items"`
}

// Item is a roster item with its subscription state.
type Item struct {
	JID          string   `json:"jid"`
	Name         string   `json:"name,omitempty"`
	Groups       []string `json:"groups"`
	Subscription string   `json:"subscription"`
	Ask          string   `json:"ask,omitempty"`
	PendingIn    bool     `json:"pending_in"`
	Approved     bool     `json:"approved"`
}

// AddContact asks for a server-side roster add.
type AddContact struct {
	JID    string   `json:"jid"`
	Name   string   `json:"name,omitempty"`
	Groups []string `json:"groups,omitempty"`
}

// Session is one bound resource.
type Session struct {
	JID        string `json:"jid"`
	User       string `json:"user"`
	Resource   string `json:"resource"`
	Available  bool   `json:"available"`
	Priority   int    `json:"priority"`
	Show       string `json:"show,omitempty"`
	Status     string `json:"status,omitempty"`
	Interested bool   `json:"interested"`
}

// Kick names the session (full JID) or user (bare JID) to disconnect.
type Kick struct {
	JID string `json:"jid"`
}

// Presence is a presence to inject.
type Presence struct {
	From     string `json:"from"`
	To       string `json:"to,omitempty"`
	Type     string `json:"type,omitempty"`
	Show     string `json:"show,omitempty"`
	Status   string `json:"status,omitempty"`
	Priority *int   `json:"priority,omitempty"`
}

// Message is a message to inject.
type Message struct {
	From string `json:"from"`
	To   string `json:"to"`
	Body string `json:"body"`
	Type string `json:"type,omitempty"`
}
