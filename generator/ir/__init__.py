"""The intermediate representation: everything decided, nothing rendered."""
