"""Loading files into documents, chunking them with offsets, and writing them to the index."""
