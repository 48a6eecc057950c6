"""Each coach's own server (JupyterLab and Voila), as started by the Hub (deploy/jupyterhub_config.py).

Read with ``--config`` by every coach's ``jupyterhub-singleuser``; a coach's own files cannot change it
(``Spawner.disable_user_config``).
"""

import shlex
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (Jupyter provides it)

# Kernels talk over unix sockets in the coach's own runtime folder (0700), not over TCP ports that
# every account on the machine could connect to.
c.KernelManager.transport = "ipc"
# A coach's server calls nobody: no news feed, no update check.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# A file the coach deletes (an export, say) is gone, not kept in a trash folder.
c.FileContentsManager.delete_to_trash = False

# `coachkit` in every terminal. JupyterLab starts a terminal as a login shell, and a login shell reads
# /etc/profile, which sets PATH afresh (Debian's leaves out this installation's bin folder, which the
# Hub put first). So the terminal is a login shell that then becomes an interactive one with this
# installation's programs first: the login files still run (/etc/profile, ~/.profile), and so does
# ~/.bashrc, and whatever they did to PATH, `coachkit` is the practice's own. Nothing is written
# outside the practice's installation (no /etc/profile.d file, no link in /usr/local/bin that two
# practices on one machine would fight over), and it is the same for every coach, old or new.
programs = shlex.quote(str(Path(sys.executable).parent))
c.ServerApp.terminado_settings = {
    "shell_command": ["/bin/bash", "-l", "-c", f'PATH={programs}:"$PATH"; exec /bin/bash -i'],
}
