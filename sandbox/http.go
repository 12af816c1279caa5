package sandbox

import (
	"encoding/json"
	"net/http"
)

// httpHandler serves the admin API; for now its health check.
func (s *Server) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"status": "ok", "domain": s.domain})
	})
	return mux
}
