"""IR -> what the templates print: type strings, codec expressions, file plans."""
