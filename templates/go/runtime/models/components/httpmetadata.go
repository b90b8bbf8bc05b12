package components

import "net/http"

// HTTPMetadata is the raw exchange behind a response, for headers and status.
type HTTPMetadata struct {
	// Request is the last request sent (after retries).
	Request *http.Request
	// Response is the answer; its Body has been read and closed already.
	Response *http.Response
}
