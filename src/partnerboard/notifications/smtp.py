"""Django's SMTP email backend, keeping the server's reply to each message for the outbox."""

import smtplib

from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend


class _RecordingMixin:
    # The (code, text) the server sent after the last message's DATA, e.g. (250, "2.0.0 Ok: queued as 4F2A").
    last_data_reply: tuple[int, str] | None = None

    # Recipients the server refused while accepting the others, as sendmail() returns them.
    last_refused: dict = {}

    def data(self, msg):
        code, reply = super().data(msg)
        self.last_data_reply = (code, reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply))
        return code, reply

    def sendmail(self, *args, **kwargs):
        refused = super().sendmail(*args, **kwargs)
        self.last_refused = refused
        return refused


class RecordingSMTP(_RecordingMixin, smtplib.SMTP):
    pass


class RecordingSMTPSSL(_RecordingMixin, smtplib.SMTP_SSL):
    pass


class EmailBackend(DjangoSMTPBackend):
    """The standard SMTP backend whose connection remembers the reply to the last DATA command."""

    @property
    def connection_class(self):
        return RecordingSMTPSSL if self.use_ssl else RecordingSMTP

    last_data_reply: tuple[int, str] | None = None
    last_refused: dict = {}

    def _send(self, email_message):
        sent = super()._send(email_message)
        # Read it now: send_messages() drops the connection right after the last message.
        self.last_data_reply = getattr(self.connection, "last_data_reply", None)
        self.last_refused = getattr(self.connection, "last_refused", {})
        return sent

    def last_reply(self) -> str:
        """Return the server's reply to the last message, with any recipient it refused."""
        if self.last_data_reply is None:
            return ""
        reply = f"{self.last_data_reply[0]} {self.last_data_reply[1]}"
        for address, (code, text) in sorted(self.last_refused.items()):
            reply += f"; refused {address}: {code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
        return reply
