"""Entry point: ``python wsgi.py --host H --port P`` upgrades the database and serves
HTTP and Socket.IO; ``flask --app wsgi …`` runs the CLI commands on ``app``.
"""

import sys

if __name__ == "__main__":
    # gevent must patch the standard library before anything else imports it.
    from gevent import monkey

    monkey.patch_all()

from community import create_app

app = create_app()


def main(argv: list[str]) -> None:
    import argparse

    from community.database import upgrade_database
    from community.extensions import socketio

    parser = argparse.ArgumentParser(description="Serve Leerplein (HTTP and Socket.IO).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    upgrade_database(app)
    print(f"Leerplein serves on http://{args.host}:{args.port}/", flush=True)
    socketio.run(app, host=args.host, port=args.port, log_output=False,
                 allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main(sys.argv[1:])
