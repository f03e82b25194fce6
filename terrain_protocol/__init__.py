"""The contract between the Terrain Builder desktop app and its server.

Both sides import these models, so a request the desktop sends is the request the server
validates; neither side keeps its own copy of the wire format.
"""
