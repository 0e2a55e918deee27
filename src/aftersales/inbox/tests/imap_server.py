"""A small IMAP4rev1 server on loopback for the tests: one mailbox folder, a login,
and the commands the poll uses (SELECT, UID SEARCH UNSEEN, UID FETCH BODY.PEEK[],
UID STORE +FLAGS \\Seen, LOGOUT). It keeps what clients did, so a test can check that
each mail was marked seen once it was kept."""

from __future__ import annotations

import re
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Stored:
    uid: int
    raw: bytes
    seen: bool = False


@dataclass
class Server:
    port: int = 0
    user: str = "service@example.com"
    password: str = "secret"
    folder: str = "INBOX"
    mails: list[Stored] = field(default_factory=list)
    logins: int = 0
    broken: bool = False  # answer every command with BAD (a server in trouble)

    def deliver(self, raw: bytes) -> Stored:
        stored = Stored(uid=len(self.mails) + 1, raw=raw)
        self.mails.append(stored)
        return stored


@contextmanager
def imap_server() -> Iterator[Server]:
    server = Server()

    class Handler(socketserver.StreamRequestHandler):
        def send(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.send("* OK IMAP4rev1 test server ready")
            selected = False
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                parts = line.decode(errors="replace").strip().split(" ", 2)
                tag = parts[0]
                command = parts[1].upper() if len(parts) > 1 else ""
                rest = parts[2] if len(parts) > 2 else ""
                if server.broken and command not in ("CAPABILITY", "LOGOUT"):
                    self.send(f"{tag} BAD server trouble")
                    continue
                if command == "CAPABILITY":
                    self.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                    self.send(f"{tag} OK done")
                elif command == "LOGIN":
                    user, password = [w.strip('"') for w in rest.split(" ", 1)]
                    if (user, password) == (server.user, server.password):
                        server.logins += 1
                        self.send(f"{tag} OK logged in")
                    else:
                        self.send(f"{tag} NO [AUTHENTICATIONFAILED] wrong password")
                elif command == "SELECT":
                    selected = rest.strip('"') == server.folder
                    if selected:
                        self.send(f"* {len(server.mails)} EXISTS")
                        self.send(f"{tag} OK [READ-WRITE] selected")
                    else:
                        self.send(f"{tag} NO no such folder")
                elif command == "UID" and selected:
                    self.uid(tag, rest)
                elif command == "NOOP":
                    self.send(f"{tag} OK")
                elif command == "LOGOUT":
                    self.send("* BYE")
                    self.send(f"{tag} OK bye")
                    return
                else:
                    self.send(f"{tag} BAD unknown command")

        def uid(self, tag: str, rest: str) -> None:
            verb, _sep, args = rest.partition(" ")
            verb = verb.upper()
            if verb == "SEARCH":
                unseen = [str(m.uid) for m in server.mails if not m.seen]
                self.send("* SEARCH" + ("".join(f" {u}" for u in unseen)))
                self.send(f"{tag} OK search done")
                return
            match = re.match(r"(\d+) (.*)", args)
            stored = next((m for m in server.mails if match and m.uid == int(match[1])), None)
            if stored is None:
                self.send(f"{tag} OK nothing")
                return
            number = server.mails.index(stored) + 1
            if verb == "FETCH":
                self.wfile.write(
                    f"* {number} FETCH (UID {stored.uid} BODY[] {{{len(stored.raw)}}}\r\n".encode()
                    + stored.raw
                    + b")\r\n"
                )
                self.send(f"{tag} OK fetch done")
            elif verb == "STORE" and "\\Seen" in args:
                stored.seen = True
                self.send(f"* {number} FETCH (UID {stored.uid} FLAGS (\\Seen))")
                self.send(f"{tag} OK store done")
            else:
                self.send(f"{tag} BAD unknown")

    class Threaded(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    tcp = Threaded(("127.0.0.1", 0), Handler)
    server.port = tcp.server_address[1]
    thread = threading.Thread(target=tcp.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        tcp.shutdown()
        tcp.server_close()
