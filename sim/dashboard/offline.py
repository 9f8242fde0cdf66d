"""Keep the dashboard on the machine it runs on: no CDN, no telemetry, no calls home.

Organisations run the dashboard behind firewalls and on training-room laptops
with no internet, and their scenarios are their own business. Out of the box
Solara does three things that need the internet or report to a third party:

* it loads its front-end from a CDN unless its assets proxy is on; with the
  ``solara-assets`` package installed, the proxy serves every file from the
  local copy (``SOLARA_ASSETS_PROXY``);
* it reports usage to Mixpanel (``SOLARA_TELEMETRY_MIXPANEL_ENABLE``);
* in development mode, the first page load embeds an iframe from solara.dev
  to check the installation, and ``solara run`` asks PyPI for the newest
  version (``--no-check-version``).

``configure()`` turns all of these off. It sets the environment variables
(read when Solara's settings are first imported) and, if Solara is already
imported (``solara run sim.dashboard.app``), the settings objects too.
"""

from __future__ import annotations

import os
import sys

#: Environment Solara reads its settings from; set before ``import solara`` where possible.
ENVIRONMENT = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
    "SOLARA_ASSETS_PROXY": "true",
    "SOLARA_THEME_SHOW_BANNER": "false",  # a "runs on Solara" link in the corner, in the way on a projector
}


def configure() -> None:
    """Serve every asset locally and send nothing to third parties, whoever started the server."""
    for key, value in ENVIRONMENT.items():
        os.environ[key] = value
    if "solara" not in sys.modules:
        return
    import solara.settings

    solara.settings.assets.proxy = True
    server_settings = sys.modules.get("solara.server.settings")
    if server_settings is not None:
        server_settings.telemetry.mixpanel_enable = False
        server_settings.theme.show_banner = False
    import solara.checks

    if hasattr(solara.checks, "should_perform_solara_check"):
        # The installation check loads https://solara.dev/... in an iframe (development mode only).
        solara.checks.should_perform_solara_check = lambda: False


def telemetry_enabled() -> bool:
    """Whether Solara would report usage (for tests and the page footer)."""
    import solara.server.settings

    return bool(solara.server.settings.telemetry.mixpanel_enable)
