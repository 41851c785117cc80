"""`nextround web`: serve the local page. The web stack (Starlette, uvicorn) is imported only when it runs."""

from __future__ import annotations

import ipaddress
import socket

import click

from nextround.cli.model_options import model_options, model_settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8710


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def page_url(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on HOST:PORT (PORT 0: any free port), or one clear line saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise click.ClickException(f"--host {host}: no such address on this machine") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno in {98, 48, 10048}:  # address in use (Linux, macOS, Windows)
            raise click.ClickException(f"port {port} is already in use; pick another with --port "
                                       "(0 picks any free port)") from None
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    return sock


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on. Anything but loopback lets other machines reach the page.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--no-open", is_flag=True, help="Print the page's address; do not open a browser.")
@model_options
def web(host: str, port: int, no_open: bool, **model: str | None) -> None:
    """Practise in your browser: the same conversations, history and plan, as a local page.

    \b
    The page runs on this machine and loads nothing from elsewhere. Its address carries
    a random key; only someone with that address can use it. Stop it with Ctrl-C (your
    sessions are saved as you go).
    """
    try:
        import uvicorn

        from nextround.web.app import create_app
    except ImportError as exc:  # a broken install: starlette and uvicorn are dependencies
        raise click.ClickException(f"the web page cannot start: {exc.name} is not installed; reinstall nextround "
                                   "(pip install nextround)") from None
    import secrets
    import threading
    import webbrowser

    settings = model_settings(model)
    if not is_loopback(host):
        click.echo(click.style(f"warning: --host {host} is not this machine's loopback address: other machines on "
                               "the network can reach the page (they still need its key)", fg="yellow"), err=True)
    token = secrets.token_urlsafe(24)
    sock = bind(host, port)
    port = sock.getsockname()[1]
    url = page_url(host, port, token)
    server = uvicorn.Server(uvicorn.Config(create_app(token, settings), log_level="warning", access_log=False,
                                          lifespan="on", timeout_graceful_shutdown=5))
    click.echo(f"nextround is ready at {url}")
    click.echo(click.style("Keep this address to yourself: it opens your practice sessions. Ctrl-C stops the page.",
                           dim=True))

    if not no_open:
        def open_when_ready() -> None:
            for _ in range(200):
                if server.started:
                    webbrowser.open(url)
                    return
                threading.Event().wait(0.05)

        threading.Thread(target=open_when_ready, name="nextround-open", daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down gracefully, then passes the Ctrl-C on
        pass
    finally:
        sock.close()
    click.echo("Stopped. Every session is saved; `nextround history` lists them.")
