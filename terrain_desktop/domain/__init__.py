"""The editor's model, in pure Python: tables, pieces, the library, undoable commands."""
