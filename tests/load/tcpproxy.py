"""A TCP proxy between the app and PostgreSQL that the test can cut: the database
becomes unreachable for the app without stopping the shared server."""

import contextlib
import socket
import threading


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.reachable = threading.Event()
        self.reachable.set()
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        self.refused = 0  # connections turned away while cut
        self.cut_connections = 0  # live connections broken by a cut
        self.closed = False

    def start(self) -> "TcpProxy":
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def cut(self) -> None:
        """Unreachable: live connections break, new ones are closed at once."""
        self.reachable.clear()
        with self.lock:
            sockets, self.open = self.open, set()
        self.cut_connections += len(sockets) // 2
        for sock in sockets:
            _close(sock)

    def restore(self) -> None:
        self.reachable.set()

    def close(self) -> None:
        self.closed = True
        self.cut()
        _close(self.listener)

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.reachable.is_set():
                self.refused += 1
                _close(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            server.settimeout(None)
            with self.lock:
                self.open.update((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            with self.lock:
                self.open.discard(source)
                self.open.discard(target)
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
