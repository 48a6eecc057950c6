"""ipykernel's launcher for a client's kernel: the same kernel, without the debugger.

ipykernel starts debugpy in every kernel (pydevd and some hundred modules), for JupyterLab's visual
debugger. A client's page never debugs, and Voila lets no debug request through its kernel websocket
anyway, so a client's kernel is started without it (``coachkit.kernels.SafeKernelManager``): ipykernel
then finds no debugpy and starts none. The module keeps ipykernel's launcher's name, so a client's
kernel reads as one in a list of processes.
"""

import sys

if __name__ == "__main__":
    sys.modules["debugpy"] = None  # type: ignore[assignment]  # ipykernel's ``import debugpy`` fails
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
