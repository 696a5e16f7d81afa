""" "Your data": what is the same for every account is built once per process."""

import pytest
from django.urls import reverse

from jobtrax import cache as safe_cache

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    response = client.get(reverse("rights:your_data"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_table_of_what_we_keep_is_built_once_per_process(
    client_logged_in, user, settings, monkeypatch
):
    from rights import selectors

    safe_cache.local_clear()
    built = []
    real = selectors.registry.installed_kinds
    monkeypatch.setattr(selectors.registry, "installed_kinds", lambda: built.append(1) or real())
    first, second = _page(client_logged_in), _page(client_logged_in)

    def table(html: str) -> str:
        start = html.index('id="kinds-heading"')
        return html[start : html.index("</table>", start)]

    # The first visit, for its logs and for the table; the second is served from the cache.
    assert len(built) == 2
    assert table(first) == table(second)
    assert "<td>Security events</td>" in table(first)
    settings.RETENTION_SECURITY_EVENT_DAYS = 401  # a change of settings is seen at once
    assert "401 days" in table(_page(client_logged_in))
