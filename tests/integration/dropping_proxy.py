"""A tiny HTTP/1.1 proxy on loopback that loses chosen answers on their way back.

It sits between the real desktop API client and the real server: every request goes to the
server as sent; for the first request of each (method, path) `drop` names, it reads the
server's whole answer (so the server has finished and committed) and then closes the client's
connection without a byte of it, as a lost connection or a dying proxy would.
"""

import socket
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import BinaryIO


def _head(stream: BinaryIO) -> bytes:
    """One message's start line and headers, up to the blank line; b"" at end of stream."""
    lines = []
    while True:
        line = stream.readline()
        if not line:
            return b""
        lines.append(line)
        if line in (b"\r\n", b"\n"):
            return b"".join(lines)


def _length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    assert b"transfer-encoding" not in head.lower(), "the proxy reads sized bodies only"
    return 0


class DroppingProxy:
    def __init__(self, upstream_port: int, drop: set[tuple[str, str]]) -> None:
        self.upstream_port = upstream_port
        self.drop = set(drop)
        #: (method, path) of each answer lost so far, in order.
        self.dropped: list[tuple[str, str]] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.lock = threading.Lock()

    @classmethod
    @contextmanager
    def running(cls, upstream_port: int, drop: set[tuple[str, str]]) -> Iterator["DroppingProxy"]:
        proxy = cls(upstream_port, drop)
        thread = threading.Thread(target=proxy._accept, daemon=True)
        thread.start()
        try:
            yield proxy
        finally:
            proxy.listener.close()
            thread.join(timeout=10)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return  # closed: the proxy is done
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        with closing(client), closing(upstream):
            requests, answers = client.makefile("rb"), upstream.makefile("rb")
            while head := _head(requests):
                upstream.sendall(head + requests.read(_length(head)))
                answer = _head(answers)
                answer += answers.read(_length(answer))
                method, path = head.split(b" ")[0].decode(), head.split(b" ")[1].decode()
                with self.lock:
                    lose = (method, path.split("?")[0]) in self.drop
                    if lose:
                        self.drop.discard((method, path.split("?")[0]))
                        self.dropped.append((method, path.split("?")[0]))
                if lose:
                    return  # closed without answering: the client never hears of it
                client.sendall(answer)
