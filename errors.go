package duban

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
)

// Code classifies an Error so that adapters can react (an HTTP status, an
// inline form error) without reading the message.
type Code string

// The error codes.
const (
	CodeInvalid   Code = "invalid"   // the input is malformed or out of range
	CodeNotFound  Code = "not_found" // the item, agency or record does not exist
	CodeForbidden Code = "forbidden" // the user may not do this
	CodeLocked    Code = "locked"    // the data directory is used by another process
	CodeMalformed Code = "malformed" // the plan document cannot be parsed
	// CodeUnavailable: a capability this process runs without (no store,
	// no exporter) or cannot reach right now (the etcd cluster during a
	// partition); the message says which, and whether anything was saved.
	CodeUnavailable Code = "unavailable"
	// CodeInternal is anything else. Its message may name server details
	// (a file, a cause) and is never shown in chat: users see
	// InternalMessage with an error id, the log gets the detail.
	CodeInternal Code = "internal"
)

// Error is an error with a code and a polite Chinese message that may be
// shown to the user as it is. Err, when set, is the underlying cause.
type Error struct {
	Code Code
	Msg  string // user-facing, Chinese
	Err  error
}

// Error returns the message and, when there is one, the cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message. A %w verb
// in the format sets the cause.
func Errorf(code Code, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &Error{Code: code, Msg: err.Error(), Err: errors.Unwrap(err)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// CodeInternal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// UserMessage returns the message of the first *Error in err's chain, or a
// generic apology that reveals nothing of the cause.
func UserMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return "抱歉，处理时出现内部错误 (internal error)，请稍后再试或联系办公室。"
}

// NewErrorID returns a short random id (eight hex digits) that ties what a
// user is told of an internal error to the log line with its detail.
func NewErrorID() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// InternalMessage is what a chat user is shown of an internal error: an
// apology and the error id under which the detail was logged. It never
// shows the error itself (a server path, a stack).
func InternalMessage(id string) string {
	return "抱歉，处理时出现内部错误 (internal error)，错误编号 " + id + "。请稍后再试；如果问题持续，请把错误编号告诉办公室。"
}
