"""JupyterHub configuration for a coaching practice (docs/practice.md).

It reads the practice file named by ``$COACHKIT_PRACTICE`` (``coachkit practice start`` sets it; see
``deploy/practice.toml``) and gives each coach, as the file is when they log in (no restart needed):

- a Hub login (the password set when the coach was added: ``coachkit.practice.authenticator``),
- their own JupyterLab with Voila, as their own system account, on their own database and their own
  worksheets folder, opening on their dashboard.

Each coach's client server (``coachkit serve`` at ``/services/<coach>/``, open to clients with no Hub
account) is run by ``coachkit practice start`` itself, which makes it known to the Hub through the API
with its own token (``hub.RUNNER``): JupyterHub cannot add a managed service while it runs.

No user is an admin, and the ``user`` role reaches only a coach's own server and tokens. Run as root
(each coach's processes run as that coach's account); ``coachkit practice start`` runs
``jupyterhub -f`` with this file (``coachkit/practice/deploy/``, in the installed package).
"""

from coachkit.practice import hub
from coachkit.practice.description import Current, default_file
from coachkit.practice.hubapi import runner_token
from coachkit.practice.logins import MINIMUM_LENGTH

current = Current(default_file())
practice = current()
state = practice.state_dir
c = get_config()  # noqa: F821 (JupyterHub provides it)

# -- Where it listens ------------------------------------------------------------------------
# The proxy faces the world at the practice's address; the Hub and the proxy's API stay on loopback.
c.JupyterHub.bind_url = practice.url
if practice.subdomains:
    # Every coach's server and service on a host of its own: no coach's page shares an origin with
    # another coach's (or with the Hub), so a page of one can never script another's.
    c.JupyterHub.subdomain_host = practice.url
if practice.ssl_cert:
    c.JupyterHub.ssl_cert = practice.ssl_cert
    c.JupyterHub.ssl_key = practice.ssl_key
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{practice.hub_api_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{practice.proxy_api_port}"
c.ConfigurableHTTPProxy.command = hub.proxy_command(practice)
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

# -- Its own files (root only) -----------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cookie_max_age_days = 1
c.JupyterHub.shutdown_on_logout = True  # logging out also ends the coach's JupyterLab

# -- Who may log in: the coaches in the practice file now, each with their own password -------
c.JupyterHub.authenticator_class = "coachkit.practice.authenticator.PracticeAuthenticator"
c.PracticeAuthenticator.practice_file = str(practice.path)
c.FirstUseAuthenticator.dbm_path = str(practice.passwords_file)
c.FirstUseAuthenticator.create_users = False  # passwords are set when a coach is added, never on first use
c.FirstUseAuthenticator.min_password_length = MINIMUM_LENGTH
c.Authenticator.allowed_users = set(practice.names)  # those at start; the file decides at each login
c.Authenticator.allow_existing_users = False  # a coach taken out of the file can no longer log in
c.Authenticator.admin_users = set()  # an admin could open every coach's server: there is none

# -- What a coach may do: their own server and tokens, nothing else ---------------------------
# -- and what the runner may do: add and remove client servers as services, route the proxy ---
c.JupyterHub.load_roles = hub.roles()
c.JupyterHub.services = [hub.runner_service(runner_token(practice))]

# -- Each coach's JupyterLab and Voila, as their own account, on their own database -----------
c.Spawner.cmd = [str(hub.runtime_bin() / "jupyterhub-singleuser")]
c.Spawner.args = [f"--config={hub.server_config_file()}"]  # deploy/jupyter_server_config.py
c.Spawner.default_url = "/voila/render/dashboard.ipynb"
c.Spawner.notebook_dir = "~"
c.Spawner.disable_user_config = True  # a file in the coach's home cannot turn off their server's login
c.Spawner.environment = hub.spawner_environment(current)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
