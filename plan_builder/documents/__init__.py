"""documents: the render stage; assembles each document from its sections and blocks (see the README's pipeline map)."""
