"""A local SMTP sink (aiosmtpd on loopback) in its own process, counting what it gets.

Its own process, so the server does not compete with the sender for the GIL.
"""

import multiprocessing

from aiosmtpd.controller import Controller


class CountingHandler:
    def __init__(self, connections, messages):
        self.connections = connections
        self.messages = messages

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.connections.get_lock():
            self.connections.value += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        with self.messages.get_lock():
            self.messages.value += 1
        return "250 Message accepted"


class _Loopback(Controller):
    def __init__(self, handler):
        super().__init__(handler, hostname="127.0.0.1", port=0)

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def _serve(connections, messages, ports, stop) -> None:
    controller = _Loopback(CountingHandler(connections, messages))
    controller.start()
    ports.put(controller.port)
    stop.wait()
    controller.stop()


class LocalSMTP:
    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self._connections = context.Value("i", 0)
        self._messages = context.Value("i", 0)
        self._ports = context.Queue()
        self._stop = context.Event()
        self._process = context.Process(
            target=_serve,
            args=(self._connections, self._messages, self._ports, self._stop),
            daemon=True,
        )
        self.port = None

    def start(self) -> None:
        self._process.start()
        self.port = self._ports.get(timeout=30)

    def stop(self) -> None:
        self._stop.set()
        self._process.join(timeout=10)

    @property
    def connections(self) -> int:
        return self._connections.value

    @property
    def messages(self) -> int:
        return self._messages.value
