"""Embedded SPL engine (never shipped): tokenizer -> parser -> AST -> executor."""
