"""A coaching practice on JupyterHub: several coaches, each with their own clients, kept apart.

One machine runs JupyterHub and its proxy (configurable-http-proxy), PostgreSQL, and for each coach:

- a system account of the coach's name (their JupyterLab, their client server and their database
  connections all run as it, so the operating system keeps coaches apart);
- a PostgreSQL role of that name and a database ``coachkit_<name>`` only that role can connect to;
- a client server, ``coachkit serve`` on that database, run by ``coachkit practice start`` and known to
  the Hub as the service ``/services/<name>/`` (clients open their links there, with no Hub account);
- a Hub user ``<name>`` whose server (JupyterLab and Voila) shows the coach's dashboard and notebooks;
- a worksheets folder of their own, ``~/worksheets``.

The practice is described in a small TOML file (``description``); ``deploy/jupyterhub_config.py``
turns it into the Hub's settings (``hub``, ``authenticator``); ``coachkit practice`` starts a local
practice, adds coaches, and lets a coach restart their own client server (``cli``, ``runner``,
``clientservers``, ``hubapi``, ``myserver``). See docs/practice.md.
"""
