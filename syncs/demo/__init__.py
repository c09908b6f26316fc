"""`manage.py demo`: the product on a laptop, against the simulators.

The demo command is the one product module allowed to start the simulators (it is an interface
for newcomers, like the tests and benchmarks). Layout:

- ``config``: ports, files under ``var/`` and the environment every demo process shares;
- ``sims``: the simulators as loopback HTTP servers in the demo command's own process (threads),
  so the web server and the worker (child processes) reach the same in-memory state over HTTP;
- ``seed``: users, the merchant's tenant and integration, BC items for the shop's SKUs;
- ``autopilot``: connects and configures the merchant's integration and goes live, as the wizard would;
- ``processes``: the child processes (runserver, qcluster) and the endpoint checks.
"""
