package components

// SchemeBasicAuth is the value of an HTTP basic security scheme.
type SchemeBasicAuth struct {
	Username string
	Password string
}

// SchemeOAuth2 is the value of an OAuth2 scheme with a client-credentials flow:
// either an AccessToken you obtained, or ClientID and ClientSecret, with which the
// client fetches tokens from the scheme's token URL itself (cached until shortly
// before they expire, fetched again once when the server answers 401).
type SchemeOAuth2 struct {
	AccessToken  string
	ClientID     string
	ClientSecret string
	// Scopes asked for; nil: the scopes each operation needs.
	Scopes []string
	// ClientSecretPost sends the id and secret in the token request's form body
	// (client_secret_post) instead of HTTP Basic (client_secret_basic, the default).
	ClientSecretPost bool
}
