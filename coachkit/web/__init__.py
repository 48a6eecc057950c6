"""The client server: Voila behind a code gate, with kernels that end with their page (see ``app``)."""
