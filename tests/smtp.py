"""A tiny SMTP server for tests and bench/email_window.py: the true edge of the system.

It speaks just enough SMTP for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT),
keeps every accepted message with the time it answered 250, and can hold a conversation at
one point ("greeting": before the 220; "quit": after accepting the message, before answering
QUIT) so that a test can kill the client there.
"""

import socketserver
import threading
import time
from email import message_from_bytes


class _Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def _maybe_hold(self, point: str) -> None:
        server = self.server
        if server.hold_at == point:
            server.reached.set()
            server.release.wait(60)

    def handle(self) -> None:
        server = self.server
        self._maybe_hold("greeting")
        self._reply("220 localhost test SMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._reply("250 localhost")
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                with server.lock:
                    server.messages.append(message_from_bytes(b"".join(lines)))
                    server.accepted_at.append(time.monotonic())
                self._reply("250 OK queued")
            elif verb == "QUIT":
                self._maybe_hold("quit")
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        super().__init__((host, port), _Handler)
        self.messages: list = []
        self.accepted_at: list[float] = []
        self.lock = threading.Lock()
        self.hold_at: str | None = None
        self.reached = threading.Event()
        self.release = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
