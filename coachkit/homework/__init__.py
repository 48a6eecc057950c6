"""Homework between sessions: assigning worksheets and programmes, their occurrences and due dates, and
reminders (opt-in, safe) through the outbox.

- ``schedule``: an assignment's occurrences, and where each stands (pure, in the client's time zone);
- ``programmes``: programme files (YAML, ``programmes/`` beside the worksheets), checked like worksheets;
- ``assigning``: assigning and unassigning, with plain messages for what cannot be assigned;
- ``reminders``: which reminders are due, written to the outbox once each; what a reminder says;
- ``calendar``: a due date as a calendar file (ICS) with a neutral title.
"""
