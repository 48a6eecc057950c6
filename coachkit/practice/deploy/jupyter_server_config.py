"""Each coach's own server (JupyterLab and Voila), as started by the Hub (deploy/jupyterhub_config.py).

Read with ``--config`` by every coach's ``jupyterhub-singleuser``; a coach's own files cannot change it
(``Spawner.disable_user_config``).
"""

c = get_config()  # noqa: F821 (Jupyter provides it)

# Kernels talk over unix sockets in the coach's own runtime folder (0700), not over TCP ports that
# every account on the machine could connect to.
c.KernelManager.transport = "ipc"
# A coach's server calls nobody: no news feed, no update check.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# A file the coach deletes (an export, say) is gone, not kept in a trash folder.
c.FileContentsManager.delete_to_trash = False
