"""A throwaway SMTP relay for Vigil's tests: aiosmtpd with STARTTLS required before AUTH.

Usage: smtp_server.py CERT KEY USER PASSWORD OUTDIR [--mechanisms PLAIN,LOGIN]
Prints the port it listens on (127.0.0.1), then serves until stdin closes. Each accepted message is
written to OUTDIR as N.eml, with N.json holding the envelope and the AUTH mechanism used.
"""
import argparse
import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.outdir, str(self.count))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        login = getattr(session, "login_data", None)
        with open(base + ".json", "w") as f:
            json.dump({
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "authenticated": bool(session.authenticated),
                "tls": session.ssl is not None,
                "login": login.decode() if isinstance(login, bytes) else login,
            }, f)
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cert")
    parser.add_argument("key")
    parser.add_argument("user")
    parser.add_argument("password")
    parser.add_argument("outdir")
    parser.add_argument("--mechanisms", default="PLAIN,LOGIN")
    args = parser.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    allowed = set(args.mechanisms.split(","))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            mechanism in allowed
            and isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == args.user
            and auth_data.password.decode() == args.password
        )
        # handled=False: a failure answers 535 (handled=True would leave the client waiting).
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()

    hidden = [m for m in ("PLAIN", "LOGIN") if m not in allowed]
    controller = Controller(
        Saver(args.outdir), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        auth_require_tls=True, authenticator=authenticator, auth_exclude_mechanism=hidden,
        server_hostname="localhost", ready_timeout=10,
    )
    controller.start()
    print(port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
