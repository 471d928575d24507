from django.core.paginator import Paginator
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
# The deepest page the API serves: 100,000 pages of 50 is 5 million rows, more than any
# scope holds; beyond it the page number is refused (422) rather than sent to the database,
# where an offset past 2**63 overflowed into a 500.
API_MAX_PAGE = 100_000


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of `queryset`, and the query string without `page` for the page links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


class ApiPagination(PageNumberPagination):
    """`?page=N` (1 to API_MAX_PAGE), 50 items a page: every API list uses it."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=API_MAX_PAGE)
        page_size: int | None = Field(None, ge=1)

    def __init__(self, page_size: int = PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, **kwargs)
