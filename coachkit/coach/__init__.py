"""The coach's side: client records as pandas DataFrames, charts, exports, demo data and the dashboard.

Nothing under ``coachkit.coach`` is imported by a client's worksheet page, so pandas and matplotlib
(the ``coach`` extra) stay off the client's start-up path. Modules, one concept each:

- ``frames``: the store as DataFrames (a row per answer, per response, per flag, per client; wide frames);
- ``homework``: homework as DataFrames (a row per occurrence, each client's figures, who has gone quiet);
- ``scores``: the measures each worksheet file declares, as results over time;
- ``charts``: a chart per measure, drawn as its kind says, each with a summary in words;
- ``exports``: CSV, Excel and JSON files, safe to open in a spreadsheet;
- ``demo`` (with ``demo_text``): a seeded store of synthetic clients;
- ``source``: which store the coach notebooks read (demo data while the real one has no clients);
- ``panels``, ``actions``, ``homework_panel``, ``style`` and ``dashboard``: the coach's dashboard page
  (ipywidgets, Voila);
- ``live`` (with ``live_card``, ``live_state``, ``live_html`` and ``note_box``): "In a session",
  following clients' worksheets as they fill them, with the coach's note; ``notes``: those notes on the
  dashboard and in exports;
- ``opening``: the dashboard notebook's call, which names a broken worksheet file instead of a traceback;
- ``server``: ``coachkit dashboard``, Voila on its own port with a token.
"""
