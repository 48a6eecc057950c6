"""Every client page has one neutral address; the kernel, not the address, learns whose page it is."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from coachkit.config import workbooks_dir
from coachkit.exercises import all_worksheets
from coachkit.links import WORKSHEET_NOTEBOOK, sign_in_link
from coachkit.ui.page import query_parameter
from coachkit.web.gate import kernel_query
from coachkit.web.signin import client_page_url
from coachkit.web.static import is_worksheet

WORKBOOKS = workbooks_dir()


@pytest.mark.parametrize("base_url", ["/", "/services/ana/"])
def test_the_client_page_is_one_address_for_every_client_and_worksheet(base_url):
    page = client_page_url(base_url)
    assert page == f"{base_url}voila/render/{WORKSHEET_NOTEBOOK}"
    assert not urlsplit(page).query
    assert not any(sheet in page for sheet in all_worksheets())


def test_the_one_notebook_is_the_only_one_served():
    assert is_worksheet(str(WORKBOOKS), WORKSHEET_NOTEBOOK)
    assert [path.name for path in WORKBOOKS.glob("*.ipynb")] == [WORKSHEET_NOTEBOOK]
    for old in ["history.ipynb", "my-anger-plan.ipynb", "../worksheet.ipynb", ".hidden.ipynb"]:
        assert not is_worksheet(str(WORKBOOKS), old)


@pytest.mark.parametrize(("resume", "query"), [(False, "session=12"), (True, "session=12&resume=1")])
def test_the_kernel_reads_its_session_and_resume_flag(resume, query):
    assert kernel_query(12, resume) == query
    assert query_parameter("session", query) == "12"
    assert query_parameter("resume", query) == ("1" if resume else None)


def test_a_sign_in_link_carries_only_its_key():
    link = sign_in_link("Zx_9-aaaaaaaaaaaaaaaaa", "https://coach.example/services/ana/")
    parts = urlsplit(link)
    assert parts.path == "/services/ana/link/Zx_9-aaaaaaaaaaaaaaaaa"
    assert not parts.query and not parts.fragment
