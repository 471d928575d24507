"""The audit verbs of the region tree (core/audit_verbs.py)."""

from django.utils.translation import gettext_lazy as _

from genxi.core.audit_verbs import register

register("region.create", _("新增区划"))
register("region.update", _("修改区划"))
register("region.contact", _("修改服务电话"))
register("estate.create", _("新增小区"))
register("estate.update", _("修改小区"))
register("estate.delete", _("删除小区"))
register("building.assign", _("划分楼栋到网格"))
register("building.remove", _("移除楼栋"))
register("gazetteer.import", _("导入地址库"))
register("basemap.import", _("导入底图"))
