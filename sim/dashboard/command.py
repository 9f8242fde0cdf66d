"""``kshare dashboard``: start the dashboard server on this machine and say where it is.

Solara is imported only when the command runs, so that ``kshare --help`` and
the other commands stay fast. The server is started through ``solara run``'s
own click command, so it behaves exactly like ``solara run sim.dashboard.app``
but with the offline and privacy settings of ``sim.dashboard.offline`` and
production mode (no hot reload, no installation check that calls home).
"""

from __future__ import annotations

import socket
import warnings

import click

#: The Solara app: a module path, so it works from any working directory.
APP = "sim.dashboard.app"


def free_port(host: str) -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default accepts connections from this computer only; "
    "0.0.0.0 lets others on the network connect.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--open/--no-open",
    "open_browser",
    default=False,
    show_default=True,
    help="Open the page in the default web browser once the server is up.",
)
def dashboard(host: str, port: int, open_browser: bool) -> None:
    """Start the interactive dashboard and print its address.

    Pick a scenario, switch interventions on and off, play the weeks and compare
    with the same organisation without any intervention. Everything runs on this
    computer: no internet is needed and nothing is sent anywhere. Stop it with Ctrl+C.
    """
    from sim.dashboard import offline

    # Solara warns that a cookie cannot be SameSite=None over plain http on 127.0.0.1; that only matters
    # when the page is embedded in another site's iframe, which the dashboard is not.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none")
    offline.configure()  # before Solara reads its settings
    import solara.__main__ as solara_main

    offline.configure()  # and on the settings objects, now that they exist
    if port == 0:
        port = free_port(host)
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    click.echo(f"kshare dashboard: http://{shown}:{port}  (Ctrl+C to stop)", err=False)
    args = [
        "run",
        APP,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-check-version",
        "--open" if open_browser else "--no-open",
        "--log-level-uvicorn",
        "warning",
        "--no-access-log",
    ]
    solara_main.cli.main(args=args, prog_name="kshare dashboard", standalone_mode=True)
