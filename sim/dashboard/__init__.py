"""The kshare dashboard: scenarios, interventions and live charts in the browser (Solara).

Start it with ``kshare dashboard`` or ``solara run sim.dashboard.app``. The
modules each do one thing: ``app`` lays out the page, ``session`` holds the run
being watched and its baseline, ``choices`` turns what the user picked into a
scenario, ``charts`` and ``network`` draw with matplotlib on the server,
``compare`` runs replications, ``export`` writes files, ``narratives`` holds
the trainers' notes and ``offline`` keeps everything on this machine.
"""
