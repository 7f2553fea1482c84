"""Entry point: ``python wsgi.py --host H --port P`` upgrades the database and serves
HTTP and Socket.IO; ``flask --app wsgi …`` runs the CLI commands on ``app``;
``gunicorn -c gunicorn.conf.py wsgi:app`` serves it under gunicorn (see the README).
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

    from community.serving import serve

    parser = argparse.ArgumentParser(description="Serve Leerplein (HTTP and Socket.IO).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--reuse-port", action="store_true",
                        help="let several processes listen on one port (HTTP only; see the README)")
    args = parser.parse_args(argv)
    serve(app, args.host, args.port, reuse_port=args.reuse_port)


if __name__ == "__main__":
    main(sys.argv[1:])
