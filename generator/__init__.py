"""sdkgen: OpenAPI 3.0/3.1 descriptions in, typed and formatted Python clients out."""

__version__ = "0.1.0"
