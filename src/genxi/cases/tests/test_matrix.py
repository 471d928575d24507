"""The permission matrix of cases: the case page and queue, the API's detail and list, for
every role (core/testing/matrix.py). The writes are in test_write_matrix.py."""

from genxi.cases.services import case_create
from genxi.core.testing.matrix import STAFF_SIGHT, ListMatrix, ViewMatrix


class TestCases(ViewMatrix, ListMatrix):
    page_detail, page_list = "cases:detail", "cases:queue"
    api_detail, api_list = "/api/v1/cases/{pk}", "/api/v1/cases"
    key_attr = label_attr = id_field = "code"
    sees = STAFF_SIGHT

    def make(self, ctx):
        text = f"{ctx.community.name}的路灯坏了好几天({ctx.role})"
        return case_create(actor=None, channel="phone", text=text, region=ctx.grid)
