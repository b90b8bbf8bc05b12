// Package apierrors holds the errors every call returns: a typed error per
// status class carrying the parsed body, and the transport and decoding errors.
//
//	var notFound *apierrors.NotFoundError
//	if errors.As(err, &notFound) {
//		body, _ := notFound.Body.(*components.ResourceNotFound)
//	}
package apierrors

import (
	"fmt"
	"net/http"
)

// APIError is a non-2xx answer. Body is the documented model of that status
// (a pointer to a components type) when the operation documents one and the
// body fits it; otherwise the decoded JSON (any) or, for non-JSON, the text.
type APIError struct {
	StatusCode int
	Header     http.Header
	RawBody    []byte
	Body       any
	Message    string
}

func (e *APIError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("API error %d: %s", e.StatusCode, e.Message)
	}
	return fmt.Sprintf("API error %d", e.StatusCode)
}

// BadRequestError is a 400 answer.
type BadRequestError struct{ APIError }

// AuthenticationError is a 401 answer.
type AuthenticationError struct{ APIError }

// PermissionDeniedError is a 403 answer.
type PermissionDeniedError struct{ APIError }

// NotFoundError is a 404 answer.
type NotFoundError struct{ APIError }

// ConflictError is a 409 answer.
type ConflictError struct{ APIError }

// UnprocessableEntityError is a 422 answer.
type UnprocessableEntityError struct{ APIError }

// RateLimitError is a 429 answer.
type RateLimitError struct{ APIError }

// InternalServerError is an answer with a status of 500 or more.
type InternalServerError struct{ APIError }

// Unwrap lets errors.As find the *APIError inside every typed error.
func (e *BadRequestError) Unwrap() error          { return &e.APIError }
func (e *AuthenticationError) Unwrap() error      { return &e.APIError }
func (e *PermissionDeniedError) Unwrap() error    { return &e.APIError }
func (e *NotFoundError) Unwrap() error            { return &e.APIError }
func (e *ConflictError) Unwrap() error            { return &e.APIError }
func (e *UnprocessableEntityError) Unwrap() error { return &e.APIError }
func (e *RateLimitError) Unwrap() error           { return &e.APIError }
func (e *InternalServerError) Unwrap() error      { return &e.APIError }

// ForStatus wraps an APIError in the typed error of its status class.
func ForStatus(e APIError) error {
	switch {
	case e.StatusCode == 400:
		return &BadRequestError{e}
	case e.StatusCode == 401:
		return &AuthenticationError{e}
	case e.StatusCode == 403:
		return &PermissionDeniedError{e}
	case e.StatusCode == 404:
		return &NotFoundError{e}
	case e.StatusCode == 409:
		return &ConflictError{e}
	case e.StatusCode == 422:
		return &UnprocessableEntityError{e}
	case e.StatusCode == 429:
		return &RateLimitError{e}
	case e.StatusCode >= 500:
		return &InternalServerError{e}
	}
	return &e
}

// ResponseValidationError is a 2xx answer whose body does not fit its schema.
type ResponseValidationError struct {
	StatusCode int
	Header     http.Header
	RawBody    []byte
	Err        error
}

func (e *ResponseValidationError) Error() string {
	return fmt.Sprintf("response body (status %d) does not fit its schema: %v", e.StatusCode, e.Err)
}

func (e *ResponseValidationError) Unwrap() error { return e.Err }

// PaginationError is an iterator that cannot follow the next page the server named:
// its URL is on another origin than the configured server (credentials are never
// sent there), or the server named a page already fetched. Nothing was sent for it;
// the items the iterator yielded were all received.
type PaginationError struct{ Message string }

func (e *PaginationError) Error() string { return "pagination: " + e.Message }

// ConnectionError is a transport failure: no answer was received.
type ConnectionError struct{ Err error }

func (e *ConnectionError) Error() string { return "connection error: " + e.Err.Error() }
func (e *ConnectionError) Unwrap() error { return e.Err }

// TimeoutError is a call that ran out of time (the SDK's or the context's).
type TimeoutError struct{ Err error }

func (e *TimeoutError) Error() string { return "timeout: " + e.Err.Error() }
func (e *TimeoutError) Unwrap() error { return e.Err }

// MissingCredentialsError: the operation needs credentials the client was not
// given (no alternative of its security requirement is configured). Nothing was sent.
type MissingCredentialsError struct {
	// Alternatives lists, per alternative the operation accepts that one request
	// can carry, the fields of components.Security it needs together (none when
	// every alternative puts two different credentials in one header).
	Alternatives [][]string
	Message      string
}

func (e *MissingCredentialsError) Error() string { return e.Message }

// InvalidCredentialError: a credential or header value cannot be sent (a line
// break, a control or non-ASCII character, a ':' in a basic username). The
// message names the credential or header, never the value. Nothing was sent.
type InvalidCredentialError struct{ Message string }

func (e *InvalidCredentialError) Error() string { return e.Message }
