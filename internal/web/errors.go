package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/joinedup/joinedup/internal/db"
)

// StatusError is an error with the HTTP status and the message to show the
// user, kept apart from the internal cause, which is only logged.
type StatusError struct {
	Status  int
	Message string
	Err     error
}

func (e *StatusError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Message, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Message)
}

func (e *StatusError) Unwrap() error { return e.Err }

// NotFound returns a 404 error with an optional message for the user.
func NotFound(message string) error {
	return &StatusError{Status: http.StatusNotFound, Message: message}
}

// BadRequest returns a 400 error with a message for the user.
func BadRequest(message string) error {
	return &StatusError{Status: http.StatusBadRequest, Message: message}
}

type errorPage struct {
	Status  int
	Heading string
	Message string
}

// Error writes the page for err. This is the one place errors become pages:
// db.ErrNotFound is a 404, a StatusError carries its own status and
// message, and anything else is a 500 whose cause is logged, not shown.
func (s *Site) Error(w http.ResponseWriter, r *http.Request, err error) {
	page := errorPage{Status: http.StatusInternalServerError}
	var se *StatusError
	switch {
	case errors.As(err, &se):
		page.Status, page.Message = se.Status, se.Message
	case errors.Is(err, db.ErrNotFound):
		page.Status = http.StatusNotFound
	}
	switch page.Status {
	case http.StatusNotFound:
		page.Heading = "Page not found"
	case http.StatusBadRequest:
		page.Heading = "There is a problem with your request"
	case http.StatusForbidden:
		page.Heading = "You cannot do that"
	case http.StatusMethodNotAllowed:
		page.Heading = "That cannot be done here"
	default:
		if page.Status >= 500 {
			page.Heading = "Sorry, there is a problem with this website"
			page.Message = ""
		} else {
			page.Heading = http.StatusText(page.Status)
		}
	}
	if page.Status >= 500 {
		s.log.Error("request failed", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	w.Header().Set("Cache-Control", "no-store")
	meta := Meta{Title: page.Heading, NoIndex: true}
	if rerr := s.Render(w, r, page.Status, "error.html", meta, page); rerr != nil {
		s.log.Error("render error page", slog.Any("err", rerr))
		http.Error(w, page.Heading, page.Status)
	}
}
