"""A list's saved filters round trip (core/saved_filters.py), for the lists' own tests."""

from django.urls import reverse

from genxi.core.models import SavedFilter


def round_trip(client, page: str, name: str, query: str, shown: str, hidden: str) -> None:
    """On list `page`: the panel carries `query`; save it under `name` (htmx) and see its
    chip, follow it (`shown` is listed, `hidden` is not), delete it (htmx) and see it gone."""
    url = reverse(page)
    chip = f'href="{url}?{query.replace("&", "&amp;")}">{name}</a>'
    listing = client.get(f"{url}?{query}").content.decode()
    assert f'id="saved-query" value="{query.replace("&", "&amp;")}"' in listing
    saved = client.post(
        reverse("saved_filter_new"),
        {"page": page, "name": name, "query": query},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and chip in saved.content.decode()
    assert chip in client.get(url).content.decode()
    applied = client.get(f"{url}?{query}").content.decode()
    assert shown in applied and hidden not in applied
    kept = SavedFilter.objects.get(page=page, name=name)
    deleted = client.post(
        reverse("saved_filter_delete", args=[kept.pk]), {"query": query}, HTTP_HX_REQUEST="true"
    )
    assert deleted.status_code == 200 and chip not in deleted.content.decode()
    assert not SavedFilter.objects.exists() and chip not in client.get(url).content.decode()
