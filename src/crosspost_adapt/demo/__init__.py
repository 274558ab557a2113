"""The example post that the command line's ``demo`` adapts."""
