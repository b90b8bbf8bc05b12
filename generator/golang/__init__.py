"""The Go target: the same IR emitted as a Go module (see emit.py)."""
