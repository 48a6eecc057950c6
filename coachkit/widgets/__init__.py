"""Helpers every widget page shares, the client's worksheets and the coach's dashboard alike.

``guard``: callbacks that fail safely (logged privately, a plain message on the page); ``tree``: closing
a widget and everything in it. Importing this package builds no page and opens no store.
"""
