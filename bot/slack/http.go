package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/slack-go/slack"
)

// maxBody is the largest request body accepted from Slack.
const maxBody = 1 << 20

// Handler returns the HTTP handler for Slack's requests: /slack/events
// (Events API, with url_verification), /slack/commands (slash commands)
// and /slack/interactivity (buttons and forms). Every request must carry
// a valid signature made within five minutes with the signing secret;
// anything else gets 401 and is not looked at. Events are acknowledged
// at once and processed after.
func (a *Adapter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", a.verified(a.serveEvents))
	mux.HandleFunc("POST /slack/commands", a.verified(a.serveCommand))
	mux.HandleFunc("POST /slack/interactivity", a.verified(a.serveInteraction))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok\n")
	})
	return mux
}

// verified reads the body (at most 1 MiB), checks Slack's v0 signature on
// the raw bytes and only then calls next with the body.
func (a *Adapter) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			a.log.Warn("slack: rejected unsigned or stale request", "path", r.URL.Path, "remote", r.RemoteAddr, "err", err)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		if !a.accepting() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r, body)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// serveEvents answers url_verification and acknowledges callbacks before
// processing them.
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	var p eventsPayload
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	switch p.Type {
	case "url_verification":
		writeJSON(w, map[string]string{"challenge": p.Challenge})
		return
	case "event_callback":
		// Queued before it is acknowledged: when the queue is full or the
		// adapter is shutting down, 503 makes Slack deliver it again.
		switch err := a.goEvent("event "+p.EventID, func(ctx context.Context) { a.dispatchEvent(ctx, body) }); {
		case errors.Is(err, errBusy):
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		case err != nil:
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// serveCommand handles /duban: the answer in the response when quick,
// else through response_url.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "bad command", http.StatusBadRequest)
		return
	}
	res := a.dispatchCommand(cmd)
	if res.msg == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, res.msg)
}

// serveInteraction handles buttons and form submissions.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	res := a.dispatchInteraction(r.Context(), cb)
	if res.view == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, res.view)
}
