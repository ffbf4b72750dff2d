"""A body over its page's limit is refused from its Content-Length, before it is read: over a real socket, the
headers and the first kilobyte of a declared 200 MB post get the 413, which counts toward the address's limit."""

import socket
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from complaints.public_views import SUBMISSION_WINDOW, SUBMISSIONS
from tests.conftest import sign_in_verified
from welcoming import rate_limits

DECLARED = 200 * 1024 * 1024


def post_the_start_of(live_server, path: str, *, content_type: str) -> str:
    """Send the headers and 1 KB of a body declared as 200 MB, and read the answer without sending the rest: it
    can only come if the server answered without reading the body."""
    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {address.netloc}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {DECLARED}\r\n\r\n"
            ).encode()
            + b"x" * 1024
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer.decode("latin-1")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/complaints/new/", "multipart/form-data; boundary=----x"),
        ("/api/v1/public-complaints/", "application/json"),
    ],
)
def test_a_declared_200_mb_post_is_refused_413_from_its_headers_and_counts_as_a_try(
    live_server, municipality, path, content_type
):
    cache.clear()
    answer = post_the_start_of(live_server, path, content_type=content_type)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert rate_limits.count(SUBMISSIONS, "127.0.0.1", window=SUBMISSION_WINDOW) == 1


def test_the_refusal_says_the_limit_in_json_under_the_api_and_on_a_page_elsewhere(municipality, clerk):
    big = {"CONTENT_LENGTH": str(DECLARED), "CONTENT_TYPE": "application/json"}
    api = Client().generic("POST", "/api/v1/public-complaints/", b"{}", **big)
    assert api.status_code == 413 and "1 MB at most" in api.json()["detail"]
    page = Client().generic("POST", "/complaints/new/", b"", **big)
    assert page.status_code == 413 and "31 MB at most" in page.content.decode()
    # A staff page that takes no file keeps the default limit; one that takes a scan, the scan's and the form's.
    staff = sign_in_verified(Client(), clerk)
    assert (
        staff.generic("POST", "/police/book/", b"", **{**big, "CONTENT_LENGTH": str(2 * 1024 * 1024)}).status_code
        == 413
    )
    under = staff.generic("POST", "/police/import/", b"", **{**big, "CONTENT_LENGTH": str(2 * 1024 * 1024)})
    assert under.status_code != 413
