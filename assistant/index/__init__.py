"""Embedders, the vector and lexical stores, the document registry, and hybrid search."""
