"""``kshare dashboard``: start the dashboard server on this machine and say where it is.

Solara is imported only when the command runs, so that ``kshare --help`` and
the other commands stay fast. The server is started through ``solara run``'s
own click command, so it behaves exactly like ``solara run sim.dashboard.app``
but with the offline and privacy settings of ``sim.dashboard.offline`` and
production mode (no hot reload, no installation check that calls home).
"""

from __future__ import annotations

import ipaddress
import socket
import warnings

import click

#: The Solara app: a module path, so it works from any working directory.
APP = "sim.dashboard.app"
#: Hosts that accept connections from this computer only (any loopback address counts too).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
#: Hosts that listen on every address of this computer.
ALL_ADDRESSES = ("0.0.0.0", "", "::")


def is_local(host: str) -> bool:
    if host.lower() in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, port: int) -> None:
    """Refuse, in one line, a host that does not resolve or an address this computer cannot listen on.

    Solara would otherwise fail with a traceback after its start-up. Binding
    (without listening) and closing at once leaves the port free for Solara.
    """
    try:
        family, kind, proto, _name, address = _address(host, port)
    except (socket.gaierror, UnicodeError) as error:
        raise click.ClickException(f"--host {host}: not a name or address this computer knows ({error})") from None
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as error:
        raise click.ClickException(f"--host {host} --port {port}: cannot listen there: {error.strerror}") from None


def served_at(host: str, port: int) -> list[str]:
    """The addresses another computer would open: the real ones, not 127.0.0.1, when listening on all of them.

    This computer's address on its default route is found by ``connect`` on a
    UDP socket, which sends nothing; its host name is added when it has one.
    """
    if host not in ALL_ADDRESSES:
        names = [host]
    else:
        names = []
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, and a UDP connect sends no packet
                names.append(sock.getsockname()[0])
            except OSError:
                pass
        names += [name for name in (socket.gethostname(),) if name and name not in names]
        names = names or ["0.0.0.0"]
    return [f"http://[{name}]:{port}" if ":" in name else f"http://{name}:{port}" for name in names]


def exposure_warning(host: str, port: int, urls: list[str]) -> str:
    """What a user must know before serving the page beyond this computer: it has no login."""
    return (
        f"WARNING: the dashboard has no login or password. With --host {host or "''"}, anyone who can reach this "
        f"computer on port {port} (at {' or '.join(urls)}) can open it, run simulations on it and upload files to "
        f"it.\nServe it like this only on a network you trust; the default --host 127.0.0.1 keeps it to this computer."
    )


def _address(host: str, port: int) -> tuple:
    """The first (family, type, protocol, name, address) ``host`` resolves to; ``""`` means every address."""
    return socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]


def free_port(host: str) -> int:
    """A port nobody listens on now (the OS picks it)."""
    family, kind, proto, _name, address = _address(host, 0)
    with socket.socket(family, kind, proto) as sock:
        sock.bind(address)
        return sock.getsockname()[1]


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The default accepts connections from this computer only; "
    "0.0.0.0 lets anyone who can reach this computer connect, with no login (a warning says so).",
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
    check_host(host, port)  # before the slow imports: a bad host is one line, at once
    if port == 0:
        port = free_port(host)
    from sim.dashboard import offline

    # Solara warns that a cookie cannot be SameSite=None over plain http on 127.0.0.1; that only matters
    # when the page is embedded in another site's iframe, which the dashboard is not.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none")
    offline.configure()  # before Solara reads its settings
    import solara.__main__ as solara_main

    offline.configure()  # and on the settings objects, now that they exist
    urls = served_at(host, port)
    if not is_local(host):
        click.secho(exposure_warning(host, port, urls), err=True, fg="red", bold=True)
    click.echo(f"kshare dashboard: {' or '.join(urls)}  (Ctrl+C to stop)")
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
