"""A real SMTP server on loopback (aiosmtpd) that records what it accepts and can reject or stall."""

import asyncio
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Accept every message except for refused addresses; `messages` contains the accepted ones, parsed."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.reply = None  # e.g. "550 5.1.1 No such user" to reject every message
        self.delay = 0.0
        self.refused_addresses = set()  # RCPT TO of these gets 550
        # When set, the handler waits at message number `stall_at` (1-based) until `release` is set,
        # then drops that message without recording it, as a server does when the client vanished.
        self.stall_at = None
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._seen = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused_addresses:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self._seen += 1
            number = self._seen
        if self.stall_at == number:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Dropped after the client went away"
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.reply:
            return self.reply
        with self.lock:
            self.envelopes.append(envelope)
            self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 2.0.0 Ok: queued as TEST%d" % number


class SMTPServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.handler.release.set()
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.handler.messages
